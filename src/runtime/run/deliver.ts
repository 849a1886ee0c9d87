/**
 * One leased message through one attempt: look it up first when an earlier attempt may have
 * reached the vendor (strategy `lookup`), send it, and move it to its next state — done, queued
 * for a retry, dead or parked — with one audit record per call.
 *
 * The `outcomeUnknown` mark is the crash-safety of `lookup` and `none` (DESIGN.md "never retry a
 * non-idempotent call without an idempotency guarantee"): it is written before the request may
 * reach the vendor and cleared once the vendor has given a definite answer. A run killed in
 * between (SIGKILL, power loss) leaves the message marked, so the next run looks up before it
 * sends again (`lookup`) or parks the message for a person (`none`).
 */
import type { Exchange, OutgoingRequest, Redactor } from '../../http/index.js';
import { ReconError } from '../../errors.js';
import { ThrottleWaitTooLongError } from '../../limits/index.js';
import { ConnectorInputError } from '../connector/index.js';
import type { IdempotencyStrategy, RetryPolicy } from '../connector/index.js';
import type { QueuedMessage, Store } from '../store/types.js';
import { auditRecordOf, noCallRecordOf, type AttemptFacts } from './audit-record.js';
import { classifyAttempt, type AttemptOutcome } from './classify.js';
import type { RunCounts } from './progress.js';
import type { RunObserver } from './observer.js';
import { planRetry } from './retry.js';

/** Everything one attempt needs, prepared once per run by `runConnector`. */
export interface DeliveryContext {
  name: string;
  strategy: IdempotencyStrategy;
  policy: RetryPolicy;
  /** operationId or `METHOD /path` of the create and the lookup, for the audit log. */
  operation: string;
  lookupOperation?: string;
  store: Store;
  owner: string;
  redactor: Redactor;
  clock: () => number;
  random: () => number;
  counts: RunCounts;
  /** The create request; throws `ConnectorInputError` when the record cannot become one. */
  buildCall(message: QueuedMessage): OutgoingRequest;
  buildLookup(message: QueuedMessage): OutgoingRequest;
  /** Whether the lookup's answer holds the message, and the vendor's id for it. */
  findInLookup(message: QueuedMessage, body: unknown): { found: boolean; vendorId?: string };
  /** The vendor's id in the create response, when the connector says where. */
  vendorIdOf(body: unknown): string | undefined;
  /** The longest one call may take, token request and a 401 retry included: sent only with this much lease left. */
  callBudgetMs: number;
  /** Waits for the throttle; rejects when the run is stopped or the wait is too long. */
  permit(): Promise<void>;
  /** One authorised call; rate-limit headers are observed. Never throws for HTTP or transport failures. */
  call(request: OutgoingRequest, purpose: string, kind: 'create' | 'lookup'): Promise<Exchange>;
  /** Told of every settled attempt (metrics). */
  observer: Required<RunObserver>;
  /** Counts calls that got an answer and calls that could not connect at all. */
  observeReach(exchange: Exchange): void;
  /** True once the run was asked to stop. */
  stopping(): boolean;
}

/**
 * @example
 * for (const message of await store.lease(name, owner, 4, leaseMs, now)) await deliverMessage(ctx, message);
 */
export async function deliverMessage(ctx: DeliveryContext, message: QueuedMessage): Promise<void> {
  const facts = (operation: string, outcome: string, errorClass?: string): AttemptFacts => ({
    connector: ctx.name,
    messageId: message.id,
    attempt: message.attempts,
    operation,
    idempotencyKey: message.idempotencyKey,
    outcome,
    ...(errorClass === undefined ? {} : { errorClass }),
  });

  let request: OutgoingRequest;
  try {
    request = ctx.buildCall(message);
  } catch (error) {
    if (!(error instanceof ConnectorInputError)) throw error;
    // Invalid (template or schema): dead at once, never sent — no retry can make it valid.
    const reason = ctx.redactor.text(error.message);
    await ctx.store.audit(noCallRecordOf(facts(ctx.operation, 'invalid', error.code), { method: '', url: '' }, new Date(ctx.clock()), ctx.redactor));
    await settle(ctx, message, { state: 'dead', reason });
    return;
  }

  if (message.outcomeUnknown && ctx.strategy === 'none') {
    const reason = `an earlier attempt (${message.attempts - 1}) may have reached the vendor, and its outcome is unknown` +
      `${message.reason ? ` (${message.reason})` : ' (the run was stopped during the call)'}; strategy none cannot tell whether it was created: ` +
      'check at the vendor, then re-drive it (recon queue retry --parked ID) or cancel it';
    await ctx.store.audit(noCallRecordOf(facts(ctx.operation, 'parked', 'unknown-outcome'), request, new Date(ctx.clock()), ctx.redactor));
    await settle(ctx, message, { state: 'parked', reason });
    return;
  }

  if (!(await permitted(ctx, message))) return;

  if (message.outcomeUnknown && ctx.strategy === 'lookup') {
    const lookup = await lookUp(ctx, message, facts);
    if (lookup !== 'not-found') return;
    if (!(await permitted(ctx, message))) return;
  }

  // The window in which the vendor may act without recon learning of it opens here.
  const marks = ctx.strategy !== 'header';
  if (marks && !message.outcomeUnknown) await ctx.store.markOutcomeUnknown(ctx.name, message.id, ctx.owner, true);
  const exchange = await callOrGiveBack(ctx, message, request, `deliver ${message.id} (attempt ${message.attempts})`, marks && !message.outcomeUnknown, 'create');
  const outcome = classifyAttempt(exchange, ctx.policy, new Date(ctx.clock()));
  ctx.observeReach(exchange);
  const next = decide(ctx, message, outcome, exchange);
  await ctx.store.audit(auditRecordOf(exchange, facts(ctx.operation, next.audit, errorClassOf(outcome)), ctx.redactor));
  // A definite answer closes the window: clear the mark so a re-drive sends without a lookup.
  if (marks && !next.keepMark && next.state !== 'done') await ctx.store.markOutcomeUnknown(ctx.name, message.id, ctx.owner, false);
  await settle(ctx, message, next);
}

/** What happens to the message after an attempt, and what the audit log calls it. */
type Next =
  | { state: 'done'; vendorId?: string; audit?: string; keepMark?: boolean }
  | { state: 'retry'; notBefore: number; reason: string; audit?: string; keepMark?: boolean }
  | { state: 'dead' | 'parked'; reason: string; audit?: string; keepMark?: boolean };

function decide(ctx: DeliveryContext, message: QueuedMessage, outcome: AttemptOutcome, exchange: Exchange): Next & { audit: string } {
  if (outcome.kind === 'done') {
    const vendorId = ctx.vendorIdOf(jsonOf(exchange));
    return { state: 'done', audit: 'done', ...(vendorId === undefined ? {} : { vendorId }) };
  }
  const reason = ctx.redactor.text(outcome.reason);
  if (outcome.kind === 'dead') return { state: 'dead', reason, audit: 'dead' };
  const ambiguous = outcome.kind === 'unknown' || outcome.mayHaveApplied;
  if (ambiguous && ctx.strategy === 'none') {
    return {
      state: 'parked',
      audit: 'parked',
      keepMark: true,
      reason: `outcome unknown after attempt ${message.attempts}: ${reason}; strategy none cannot tell whether the vendor acted on it: check at the vendor, then re-drive (recon queue retry --parked ID) or cancel it`,
    };
  }
  const retryAfterMs = outcome.kind === 'retry' ? outcome.retryAfterMs : undefined;
  const plan = planRetry(ctx.policy, message, ctx.clock(), { random: ctx.random, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  // With `lookup` the mark stays: the next attempt looks up before it sends again.
  const keepMark = ambiguous && ctx.strategy === 'lookup';
  if (!plan.retry) {
    const maybe = ambiguous && ctx.strategy === 'lookup' ? ' (the last attempt may have reached the vendor: look it up before re-driving)' : '';
    return { state: 'dead', audit: 'dead', keepMark, reason: `${plan.reason}; last: ${reason}${maybe}` };
  }
  return { state: 'retry', audit: 'retry', keepMark, notBefore: plan.notBefore, reason: ambiguous && ctx.strategy === 'lookup' ? `outcome unknown, will look up first: ${reason}` : reason };
}

/**
 * The lookup before a re-send: `found` settles the message as done with the vendor's id;
 * `not-found` lets the caller send; a failed lookup is itself retried (the mark stays).
 */
async function lookUp(ctx: DeliveryContext, message: QueuedMessage, facts: (op: string, outcome: string, errorClass?: string) => AttemptFacts): Promise<'found' | 'not-found' | 'settled'> {
  const operation = ctx.lookupOperation ?? 'lookup';
  let request: OutgoingRequest;
  try {
    request = ctx.buildLookup(message);
  } catch (error) {
    if (!(error instanceof ConnectorInputError)) throw error;
    await ctx.store.audit(noCallRecordOf(facts(operation, 'invalid', error.code), { method: '', url: '' }, new Date(ctx.clock()), ctx.redactor));
    await settle(ctx, message, { state: 'dead', reason: `the lookup cannot be built, and an earlier attempt may have reached the vendor: ${ctx.redactor.text(error.message)}` });
    return 'settled';
  }
  const exchange = await callOrGiveBack(ctx, message, request, `look up ${message.id} before sending again`, false, 'lookup');
  const outcome = classifyAttempt(exchange, ctx.policy, new Date(ctx.clock()));
  let unreadable: string | undefined;
  ctx.observeReach(exchange);
  if (outcome.kind === 'done') {
    let hit: { found: boolean; vendorId?: string } | undefined;
    try {
      hit = ctx.findInLookup(message, jsonOf(exchange));
    } catch (error) {
      // An answer recon cannot read is not "not found": sending could duplicate. Try later.
      if (!(error instanceof ReconError)) throw error;
      unreadable = error.message;
    }
    if (hit !== undefined) {
      await ctx.store.audit(auditRecordOf(exchange, facts(operation, hit.found ? 'lookup-found' : 'lookup-missing'), ctx.redactor));
      if (!hit.found) return 'not-found';
      ctx.counts.foundByLookup++;
      await settle(ctx, message, { state: 'done', ...(hit.vendorId === undefined ? {} : { vendorId: hit.vendorId }) });
      return 'found';
    }
  }
  const reason = `the lookup before sending again failed: ${ctx.redactor.text(unreadable ?? (outcome.kind === 'done' ? '' : outcome.reason))}`;
  const next: Next =
    outcome.kind === 'dead' && unreadable === undefined
      ? { state: 'dead', reason: `${reason} (an earlier attempt may have reached the vendor: check there before re-driving)` }
      : retryOrDead(ctx, message, reason, outcome.kind === 'retry' ? outcome.retryAfterMs : undefined);
  await ctx.store.audit(auditRecordOf(exchange, facts(operation, next.state, unreadable ? 'lookup-unreadable' : errorClassOf(outcome)), ctx.redactor));
  await settle(ctx, message, next);
  return 'settled';
}

/**
 * The call, or — when credentials cannot be had (the token endpoint is down or refuses) — the
 * message back in the queue unsent and the error up to the run, which stops: every other message
 * would fail the same way. Nothing was sent, so a mark this attempt set is cleared.
 */
async function callOrGiveBack(ctx: DeliveryContext, message: QueuedMessage, request: OutgoingRequest, purpose: string, clearMark: boolean, kind: 'create' | 'lookup'): Promise<Exchange> {
  try {
    return await ctx.call(request, purpose, kind);
  } catch (error) {
    if (!(error instanceof ReconError)) throw error;
    if (clearMark) await ctx.store.markOutcomeUnknown(ctx.name, message.id, ctx.owner, false);
    await ctx.store.retry(ctx.name, message.id, ctx.owner, ctx.clock(), `not sent: ${ctx.redactor.text(error.message)}`, ctx.clock());
    throw error;
  }
}

function retryOrDead(ctx: DeliveryContext, message: QueuedMessage, reason: string, retryAfterMs?: number): Next {
  const plan = planRetry(ctx.policy, message, ctx.clock(), { random: ctx.random, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  return plan.retry ? { state: 'retry', notBefore: plan.notBefore, reason } : { state: 'dead', reason: `${plan.reason}; last: ${reason}` };
}

/**
 * Wait for the throttle. When the run stops first, or the vendor's Retry-After is longer than
 * recon may wait, the message goes back to the queue unsent (its lease would only run out).
 */
async function permitted(ctx: DeliveryContext, message: QueuedMessage): Promise<boolean> {
  try {
    await ctx.permit();
    if (!ctx.stopping()) {
      // A lease about to run out could be taken over by another run (or this one) mid-call, and
      // two copies of one create in flight defeat `lookup` and `none`: give it back unsent.
      if (message.leaseUntil === undefined || ctx.clock() + ctx.callBudgetMs <= message.leaseUntil) return true;
      await ctx.store.retry(ctx.name, message.id, ctx.owner, ctx.clock(), message.reason ?? 'the lease ran short while waiting for the rate limit; not sent', ctx.clock());
      return false;
    }
  } catch (error) {
    if (error instanceof ThrottleWaitTooLongError) {
      await ctx.store.retry(ctx.name, message.id, ctx.owner, ctx.clock() + error.waitMs, `waiting for the vendor's rate limit: ${error.message}`, ctx.clock());
      return false;
    }
    if (!ctx.stopping()) throw error;
  }
  await ctx.store.retry(ctx.name, message.id, ctx.owner, ctx.clock(), message.reason ?? 'the run was stopped before this attempt was sent', ctx.clock());
  return false;
}

async function settle(ctx: DeliveryContext, message: QueuedMessage, next: Next): Promise<void> {
  const { store, name, owner } = ctx;
  const now = ctx.clock();
  let settled: boolean;
  switch (next.state) {
    // False: the lease ran out and another run holds the message now; it counts there.
    case 'done':
      settled = await store.complete(name, message.id, owner, next.vendorId === undefined ? {} : { vendorId: next.vendorId }, now);
      if (settled) ctx.counts.done++;
      break;
    case 'retry':
      settled = await store.retry(name, message.id, owner, next.notBefore, next.reason, now);
      if (settled) ctx.counts.retried++;
      break;
    case 'dead':
    case 'parked':
      settled = await store.fail(name, message.id, owner, next.state, next.reason, now);
      if (settled) ctx.counts[next.state]++;
      break;
  }
  if (settled) ctx.observer.settled({ connector: name, messageId: message.id, state: next.state, attempts: message.attempts, at: now });
}

function errorClassOf(outcome: AttemptOutcome): string | undefined {
  return outcome.kind === 'done' ? undefined : outcome.errorClass;
}

function jsonOf(exchange: Exchange): unknown {
  const body = exchange.response?.body;
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
