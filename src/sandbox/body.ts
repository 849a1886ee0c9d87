/** Reading request bodies under a size limit, and parsing them without trusting them. */
import type { IncomingMessage } from 'node:http';

/** The documented request body limit; larger bodies get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this the sandbox stops draining and drops the connection. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

export type BodyResult =
  | { kind: 'ok'; text: string }
  /** `closeConnection`: the body was never read, so the connection cannot be reused. */
  | { kind: 'too-large'; closeConnection: boolean }
  | { kind: 'aborted' };

/**
 * Collects the body up to `limit` bytes. A body declared larger is refused unread; one that
 * turns out larger is drained (so the client can read the 413) but not kept, and one past
 * the drain limit is cut off.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      settle({ kind: 'too-large', closeConnection: true });
      return;
    }
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) chunks.push(chunk);
      else if (received > DRAIN_LIMIT_BYTES) {
        req.destroy();
        settle({ kind: 'aborted' });
      }
    });
    req.on('end', () =>
      settle(received > limit ? { kind: 'too-large', closeConnection: false } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }),
    );
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}

export type JsonObjectResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * Parses a JSON object body. `JSON.parse` makes `__proto__` an ordinary own key, and the
 * handlers only read named fields, so hostile keys never reach a prototype.
 */
export function parseJsonObject(text: string): JsonObjectResult {
  if (text.trim() === '') return { ok: false, message: 'The request body is empty; a JSON object is required.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `The request body is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'The request body must be a JSON object.' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
