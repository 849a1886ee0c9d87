/**
 * Operations of a vendor's document that send many records per call: the first thing to ask
 * about when a batch does not fit its rate limit.
 */
import type { OperationModel } from '../../spec/index.js';

const BULK_WORDS = /\b(bulk|batch|batches)\b/i;
/** `POST /invoice/list` (Tripletex), "create multiple …": a write that takes a list. */
const MANY_WORDS = /(^|\/)list(\/|\s|$)|\b(multiple|many)\b/i;

/**
 * `METHOD /path` of the operations whose path, operationId or summary says bulk or batch, and
 * the writes whose path ends in `/list` or whose summary says "multiple".
 *
 * @example
 * findBulkOperations(spec.operations) // ['POST /invoice/list', 'PUT /product/list', …]
 */
export function findBulkOperations(operations: readonly Pick<OperationModel, 'method' | 'path' | 'operationId' | 'summary'>[]): string[] {
  return operations
    .filter((op) => {
      const text = `${op.path} ${op.operationId ?? ''} ${op.summary ?? ''}`;
      const write = !['get', 'head', 'options'].includes(op.method.toLowerCase());
      return BULK_WORDS.test(text) || BULK_WORDS.test((op.operationId ?? '').replace(/([a-z])([A-Z])/g, '$1 $2')) || (write && MANY_WORDS.test(`${op.path} ${op.summary ?? ''}`));
    })
    .map((op) => `${op.method.toUpperCase()} ${op.path}`);
}
