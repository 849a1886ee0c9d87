/**
 * What the queue is given, checked the same way on both engines before any SQL runs: a batch
 * with one bad message fails whole, before a write, with the same message on SQLite and PostgreSQL.
 */
import { StoreInputError } from './errors.js';
import type { MessageState } from './types.js';

/** A message to enqueue as the queue stores it: the payload as JSON text. */
export interface NewMessageRow {
  id: string;
  payload: string;
  idempotencyKey: string;
}

/**
 * @example
 * requireName('push-invoices', 'connector'); // passes
 * requireName('', 'owner'); // throws RECON_STORE_BAD_INPUT "owner must be a non-empty string"
 */
export function requireName(value: string, field: string): void {
  if (typeof value !== 'string' || value === '') throw new StoreInputError('RECON_STORE_BAD_INPUT', `${field} must be a non-empty string`);
}

/**
 * The batch checked and serialised (an undefined payload is stored as null), in order.
 *
 * @example
 * newMessageRows([{ id: 'INV-1', payload: { amount: 10 }, idempotencyKey: 'k1' }]); // [{ id: 'INV-1', payload: '{"amount":10}', idempotencyKey: 'k1' }]
 */
export function newMessageRows(messages: { id: string; payload: unknown; idempotencyKey: string }[]): NewMessageRow[] {
  return messages.map((message, index) => {
    if (typeof message.id !== 'string' || message.id === '') throw new StoreInputError('RECON_STORE_BAD_INPUT', `message ${index + 1}: id must be a non-empty string`);
    if (typeof message.idempotencyKey !== 'string' || message.idempotencyKey === '') throw new StoreInputError('RECON_STORE_BAD_INPUT', `message ${message.id}: idempotencyKey must be a non-empty string`);
    return { id: message.id, payload: payloadJson(message.payload, message.id), idempotencyKey: message.idempotencyKey };
  });
}

/**
 * `lease`'s owner and batch size, checked.
 *
 * @example
 * requireLeaseArgs('worker-1', 10); // passes
 * requireLeaseArgs('worker-1', 2.5); // throws RECON_STORE_BAD_INPUT
 */
export function requireLeaseArgs(owner: string, max: number): void {
  requireName(owner, 'owner');
  if (!Number.isInteger(max) || max < 0) throw new StoreInputError('RECON_STORE_BAD_INPUT', `lease: max must be a whole number ≥ 0, not ${max}`);
}

/**
 * `fail`'s end state, checked: the only two a message is failed into.
 *
 * @example
 * requireFailState('parked'); // passes
 * requireFailState('done' as 'dead'); // throws RECON_STORE_BAD_INPUT
 */
export function requireFailState(state: MessageState): asserts state is 'dead' | 'parked' {
  if (state !== 'dead' && state !== 'parked') throw new StoreInputError('RECON_STORE_BAD_INPUT', `fail: state must be dead or parked, not ${String(state)}`);
}

function payloadJson(payload: unknown, id: string): string {
  try {
    return JSON.stringify(payload === undefined ? null : payload);
  } catch (error) {
    throw new StoreInputError('RECON_STORE_BAD_INPUT', `message ${id}: payload cannot be stored as JSON (${(error as Error).message})`, { cause: error });
  }
}
