/**
 * Writes a HAR 1.2 recording of responses sampled from a vendor document's own schemas: what a
 * server that conforms to its document would have answered. Drift's tests feed it to
 * `recon drift` and expect no findings; the bench uses it for recordings of any size.
 *
 * The file is written as a stream, one entry at a time (with backpressure), so a 10,000-entry,
 * 100 MB recording never holds more than one entry's text in memory.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { HarEntry } from '../http/har/index.js';
import type { ApiSpec, OperationModel } from '../spec/index.js';
import {
  deriveSeed,
  sampleRequestUrl,
  sampleResponse,
  sampleSchema,
  selectJsonResponse,
  type SampleOptions,
  type SampleProblem,
} from '../spec/sample/index.js';

export interface ConformantHarOptions {
  seed: number;
  /** Sampled responses per operation (each with its own seed). */
  perOperation: number;
  /** Which operations to record (default: every operation with a JSON success response). */
  operations?: (operation: OperationModel) => boolean;
  /** Indent the JSON (for reading by eye); default false. */
  pretty?: boolean;
  /** Grow list responses until each body is at least this many bytes (the bench's 10 KB). */
  minBodyBytes?: number;
  /**
   * Record only operations whose response body has a list (an array that is the body or one of
   * its properties), the ones `minBodyBytes` can grow. Default false.
   */
  listsOnly?: boolean;
  /** Stop after this many entries; entries go round the operations, so every one gets its share. */
  maxEntries?: number;
  /** Passed on to the sampler (`maxDepth`, `arrayItems`, `optionalProperties`…). */
  sample?: Omit<SampleOptions, 'seed'>;
}

export interface ConformantHarResult {
  entries: number;
  bytes: number;
  /** Operations left out, and why (no JSON success response). */
  skipped: { operation: string; reason: string }[];
  /** Schemas the sampler could not satisfy in some response (then that body may not validate). */
  problems: SampleProblem[];
}

/** When the recording says the exchanges happened: fixed, so the file is the same on every run. */
const STARTED = Date.UTC(2025, 0, 2, 10, 0, 0);
const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 206: 'Partial Content' };

/**
 * @example
 * const spec = await loadSpec('fixtures/specs/fiken/fiken-api-2.0.0.yaml');
 * const { entries, skipped } = await writeConformantHar(spec, join(dir, 'fiken.har'), { seed: 1, perOperation: 2 });
 */
export async function writeConformantHar(spec: ApiSpec, file: string, options: ConformantHarOptions): Promise<ConformantHarResult> {
  const skipped: ConformantHarResult['skipped'] = [];
  const chosen: OperationModel[] = [];
  for (const operation of spec.operations) {
    if (options.operations !== undefined && !options.operations(operation)) continue;
    const selection = selectJsonResponse(operation);
    if (!selection.ok) skipped.push({ operation: label(operation), reason: selection.reason });
    else if (options.listsOnly === true && sampleSchema(spec, selection.media.schema, { seed: options.seed, maxDepth: 2 }).listItems === 0) {
      skipped.push({ operation: label(operation), reason: 'no list in the response body' });
    } else chosen.push(operation);
  }

  const out = createWriteStream(file);
  const closed = once(out, 'close');
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const indent = options.pretty === true ? 2 : undefined;
  const problems = new Map<string, SampleProblem>();
  let entries = 0;
  try {
    const creator = { name: 'recon conformant-har', version: '1' };
    await write(indent === undefined ? `{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"entries":[` : `{\n  "log": {\n    "version": "1.2",\n    "creator": ${JSON.stringify(creator)},\n    "entries": [\n`);
    const limit = options.maxEntries ?? Infinity;
    for (let round = 0; round < options.perOperation && entries < limit; round++) {
      for (const operation of chosen) {
        if (entries >= limit) break;
        const entry = sampledEntry(spec, operation, options, round, entries);
        if (entry === undefined) continue;
        for (const problem of entry.problems) problems.set(`${problem.at} ${problem.reason}`, problem);
        const text = indent === undefined ? JSON.stringify(entry.entry) : JSON.stringify(entry.entry, null, 2).replace(/^/gm, '      ');
        await write((entries === 0 ? '' : indent === undefined ? ',' : ',\n') + text);
        entries++;
      }
    }
    await write(indent === undefined ? ']}}\n' : '\n    ]\n  }\n}\n');
  } finally {
    out.end();
    await closed;
  }
  return { entries, bytes, skipped, problems: [...problems.values()] };
}

function sampledEntry(spec: ApiSpec, operation: OperationModel, options: ConformantHarOptions, round: number, index: number): { entry: HarEntry; problems: SampleProblem[] } | undefined {
  const seed = deriveSeed(options.seed, `${label(operation)}#${round}`);
  const sampled = sampleResponse(spec, operation, { ...options.sample, seed, ...(options.minBodyBytes === undefined ? {} : { minBodyBytes: options.minBodyBytes }) });
  if (sampled === undefined) return undefined;
  const text = JSON.stringify(sampled.body);
  const size = Buffer.byteLength(text);
  const entry: HarEntry = {
    startedDateTime: new Date(STARTED + index * 1000).toISOString(),
    time: 12,
    request: {
      method: operation.method.toUpperCase(),
      url: sampleRequestUrl(spec, operation, seed),
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [{ name: 'accept', value: 'application/json' }],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: sampled.status,
      statusText: STATUS_TEXT[sampled.status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [{ name: 'content-type', value: sampled.mediaType }, ...sampled.headers.map(([name, value]) => ({ name, value }))],
      content: { size, mimeType: sampled.mediaType, text },
      redirectURL: '',
      headersSize: -1,
      bodySize: size,
    },
    cache: {},
    timings: { send: 1, wait: 10, receive: 1 },
    _recon: { operation: { method: operation.method.toUpperCase(), path: operation.path, ...(operation.operationId === undefined ? {} : { operationId: operation.operationId }) } },
  };
  return { entry, problems: sampled.problems };
}

function label(operation: OperationModel): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}
