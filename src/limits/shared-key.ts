/**
 * Which workers share one rate limit: those whose calls the vendor counts against one quota.
 */
import { createHash } from 'node:crypto';

/**
 * The store key of one vendor quota: the origin of the target's base URL and, when the
 * credentials name a client (OAuth client id, JWT issuer, basic user), a hash of that name —
 * never a secret. Connectors of the same target and identity share one limit; API keys and
 * bearer tokens name nobody without the secret, so their workers share the origin's limit.
 *
 * @example
 * sharedThrottleKey('https://api.acme.test/v2/', 'oauth2:client-42'); // 'throttle:https://api.acme.test#3f9a…'
 * sharedThrottleKey('https://api.acme.test/v2/');                     // 'throttle:https://api.acme.test'
 */
export function sharedThrottleKey(baseUrl: string, identity?: string): string {
  const origin = new URL(baseUrl).origin;
  if (identity === undefined || identity === '') return `throttle:${origin}`;
  return `throttle:${origin}#${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
}
