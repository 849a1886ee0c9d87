/**
 * One page through the push runner's sending path: the throttle's permit, auth, one audit record
 * per call, and retries with full-jitter backoff (Retry-After wins) on the retry statuses,
 * network errors and timeouts — a list call only reads, so every retry is safe.
 */
import type { Exchange, OutgoingRequest } from '../../http/index.js';
import type { RetryPolicy } from '../connector/index.js';
import { auditRecordOf, classifyAttempt, planRetry, type Sender } from '../run/index.js';
import type { Store } from '../store/index.js';
import { PullError } from './errors.js';

export interface PageFetchContext {
  connector: string;
  operation: string;
  policy: RetryPolicy;
  sender: Sender;
  store: Store;
  clock: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  signal?: AbortSignal;
  /** Counts each retried attempt. */
  onRetry?: () => void;
}

/**
 * The page's 2xx exchange, or undefined when the run was stopped while waiting. Throws
 * `PullError` when the vendor refuses the page or the retries are spent.
 *
 * @example const exchange = await fetchPage(ctx, request, 'page 3');
 */
export async function fetchPage(ctx: PageFetchContext, request: OutgoingRequest, label: string): Promise<Exchange | undefined> {
  const firstAt = ctx.clock();
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) return undefined;
    try {
      await ctx.sender.permit(ctx.signal);
    } catch (error) {
      if (ctx.signal?.aborted) return undefined;
      throw error;
    }
    const exchange = await ctx.sender.call(request, `pull ${label} (attempt ${attempt})`);
    const outcome = classifyAttempt(exchange, ctx.policy, new Date(ctx.clock()));
    const decision =
      outcome.kind === 'retry' || outcome.kind === 'unknown'
        ? planRetry(ctx.policy, { attempts: attempt, enqueuedAt: firstAt }, ctx.clock(), {
            ...(outcome.kind === 'retry' && outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
            random: ctx.random,
          })
        : undefined;
    const auditOutcome = outcome.kind === 'done' ? 'done' : decision?.retry ? 'retry' : 'dead';
    await ctx.store.audit(
      auditRecordOf(exchange, {
        connector: ctx.connector,
        messageId: label,
        attempt,
        operation: ctx.operation,
        idempotencyKey: '',
        outcome: auditOutcome,
        ...(outcome.kind === 'done' ? {} : { errorClass: outcome.errorClass }),
      }, ctx.sender.redactor),
    );
    if (outcome.kind === 'done') return exchange;
    if (decision?.retry) {
      ctx.onRetry?.();
      await ctx.sleep(decision.delayMs, ctx.signal);
      continue;
    }
    const why = decision && !decision.retry ? `${outcome.reason}; ${decision.reason}` : outcome.reason;
    throw new PullError('RECON_PULL_PAGE_FAILED', `${ctx.connector}: ${label} failed: ${ctx.sender.redactor.text(why)}`, {
      hint: 'the position stays at this page: run again once the vendor answers',
    });
  }
}
