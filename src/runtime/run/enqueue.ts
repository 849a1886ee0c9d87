/**
 * Enqueue an input: each record's message id and idempotency key, in batches, idempotent on
 * (connector, id) — feeding the same file twice queues nothing new. A line that cannot be read or
 * has no id is reported with its number and skipped; the rest is still queued.
 */
import { createHash } from 'node:crypto';
import type { InputItem } from '../input/index.js';
import type { Store } from '../store/types.js';

export type { InputItem };

export interface InputProblem {
  line: number;
  message: string;
}

export const ENQUEUE_BATCH = 500;
/** Problems kept for the summary; the rest are only counted. */
export const MAX_PROBLEMS_KEPT = 100;

/**
 * The key sent with every attempt of a message: stable across runs and machines, unique per
 * connector, and opaque (no customer data in a header the vendor may log).
 * @example idempotencyKeyFor('push-invoices', 'INV-1') // '3f2a…' (32 hex digits)
 */
export function idempotencyKeyFor(connector: string, id: string): string {
  return createHash('sha256').update(`recon\0${connector}\0${id}`).digest('hex').slice(0, 32);
}

export interface EnqueueOutcome {
  enqueued: number;
  duplicates: number;
  invalidLines: number;
  problems: InputProblem[];
}

/**
 * @example
 * await enqueueInput({ store, connector: 'push-orders', input: readInput('orders.ndjson'), idOf: (r) => messageIdOf(loaded, r), now: Date.now });
 * // { enqueued: 998, duplicates: 0, invalidLines: 2, problems: [{ line: 17, message: 'not JSON: …' }, …] }
 */
export async function enqueueInput(options: {
  store: Store;
  connector: string;
  input: AsyncIterable<InputItem>;
  /** Throws (a `ConnectorInputError`) when the record has no usable id. */
  idOf(record: unknown): string;
  now: () => number;
  onProblem?: (problem: InputProblem) => void;
  onBatch?: (outcome: EnqueueOutcome) => void;
  batchSize?: number;
}): Promise<EnqueueOutcome> {
  const outcome: EnqueueOutcome = { enqueued: 0, duplicates: 0, invalidLines: 0, problems: [] };
  const batchSize = options.batchSize ?? ENQUEUE_BATCH;
  /** Ids seen in this input, with their line: a repeat is reported, the first one kept. */
  const seen = new Map<string, number>();
  let batch: { id: string; payload: unknown; idempotencyKey: string }[] = [];
  const problem = (line: number, message: string) => {
    outcome.invalidLines++;
    if (outcome.problems.length < MAX_PROBLEMS_KEPT) outcome.problems.push({ line, message });
    options.onProblem?.({ line, message });
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await options.store.enqueue(options.connector, batch, options.now());
    outcome.enqueued += result.added;
    outcome.duplicates += result.duplicates;
    batch = [];
    options.onBatch?.(outcome);
  };
  for await (const item of options.input) {
    if (item.error !== undefined || item.record === undefined) {
      problem(item.line, item.error ?? 'empty record');
      continue;
    }
    let id: string;
    try {
      id = options.idOf(item.record);
    } catch (error) {
      problem(item.line, error instanceof Error ? error.message : String(error));
      continue;
    }
    const first = seen.get(id);
    if (first !== undefined) {
      outcome.duplicates++;
      options.onProblem?.({ line: item.line, message: `id ${id} already appeared on line ${first} of this input; the first one is kept` });
      continue;
    }
    seen.set(id, item.line);
    batch.push({ id, payload: item.record, idempotencyKey: idempotencyKeyFor(options.connector, id) });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return outcome;
}
