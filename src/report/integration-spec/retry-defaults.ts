/**
 * The runtime's retry policy, every default written out in one place (CONVENTIONS.md habit 5).
 * The integration spec writes it out in full so that a connector reads its policy from the file
 * and a reviewer sees it, instead of both trusting code.
 */

/**
 * - 408 Request Timeout, 425 Too Early, 429 Too Many Requests and every 5xx: the request was not
 *   (or may safely be assumed not to have been) acted on, or the vendor asks to come back later.
 * - Exponential backoff from 1 s, doubling, capped at 60 s, with full jitter (a random delay
 *   between 0 and the backoff) so that many workers do not retry in step.
 * - Retry-After (RFC 9110 §10.2.3) wins over the computed delay: the vendor knows best.
 * - A write is retried after it was sent only when its idempotency entry says `retrySafe`.
 *
 * @example
 * const delay = Math.min(RETRY_DEFAULTS.maxDelayMs, RETRY_DEFAULTS.baseDelayMs * RETRY_DEFAULTS.factor ** (attempt - 1)) * Math.random();
 */
export const RETRY_DEFAULTS = {
  retryOn: [408, 425, 429, '5xx'],
  networkErrors: true,
  baseDelayMs: 1000,
  factor: 2,
  jitter: 'full',
  maxDelayMs: 60_000,
  /** Attempts in all, the first included. */
  maxAttempts: 5,
  retryAfter: 'wins',
} as const;
