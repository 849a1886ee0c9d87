/**
 * When to try a message again: exponential backoff with "full jitter" (AWS Architecture Blog,
 * "Exponential Backoff and Jitter", 2015): the delay before attempt n + 1 is a random time in
 * [0, min(cap, base · 2^(n-1))]. Spreading retries over the whole step, rather than around it,
 * keeps a crowd of clients that failed together from coming back together.
 *
 * A vendor's `Retry-After` (RFC 9110 §10.2.3) beats the schedule: it knows when it can answer.
 */
import type { RetryPolicy } from '../connector/types.js';

/**
 * The full-jitter delay after `attempt` attempts (1-based) have failed.
 *
 * @example
 * backoffDelayMs({ baseDelayMs: 1000, maxDelayMs: 8000 }, 3, () => 0.5); // 2000 (half of the 4 s step)
 */
export function backoffDelayMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity long after the cap has won; min() keeps it finite.
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 52));
  return Math.floor(random() * step);
}

export type RetryDecision =
  | { retry: true; notBefore: number; delayMs: number; source: 'backoff' | 'retry-after' }
  | { retry: false; reason: string };

/**
 * Retry or give up, after `attempts` attempts (1-based) of a message first enqueued at
 * `enqueuedAt`. Gives up once the attempts are spent or the next try would fall after
 * `maxElapsedMs` since enqueueing.
 *
 * @example
 * planRetry(policy, { attempts: 1, enqueuedAt: t0 }, t0 + 50, { retryAfterMs: 2000, random: Math.random });
 * // { retry: true, notBefore: t0 + 2050, delayMs: 2000, source: 'retry-after' }
 */
export function planRetry(
  policy: RetryPolicy,
  message: { attempts: number; enqueuedAt: number },
  now: number,
  options: { retryAfterMs?: number; random: () => number },
): RetryDecision {
  if (message.attempts >= policy.maxAttempts) {
    return { retry: false, reason: `gave up after ${message.attempts} attempt${message.attempts === 1 ? '' : 's'} (maxAttempts ${policy.maxAttempts})` };
  }
  const fromHeader = options.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs) && options.retryAfterMs >= 0;
  const delayMs = fromHeader ? Math.ceil(options.retryAfterMs!) : backoffDelayMs(policy, message.attempts, options.random);
  const notBefore = now + delayMs;
  if (notBefore - message.enqueuedAt > policy.maxElapsedMs) {
    return { retry: false, reason: `gave up after ${message.attempts} attempts: the next one would come after maxElapsedMs (${policy.maxElapsedMs} ms) since the message was queued` };
  }
  return { retry: true, notBefore, delayMs, source: fromHeader ? 'retry-after' : 'backoff' };
}
