/**
 * What the API document says the limit is, read from the sentences the inventory collected
 * about rate limits ("Each client may make 100 requests per minute").
 */
import type { RateLimitHints } from '../../spec/inventory.js';
import type { DocumentedLimit } from '../types.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hr: 3600, hour: 3600, d: 86_400, day: 86_400 };

// "100 requests per minute", "100 calls/min", "5 req/s", "1,000 requests an hour"
const QUOTA = /(\d{1,3}(?:[,\s]\d{3})+|\d+)\s*(?:api\s+)?(?:requests?|calls?|req)\s*(?:per|\/|an?|each|every)\s*(second|sec|s|minute|min|m|hour|hr|h|day|d)\b/i;

/**
 * The first quota the document states in words, or undefined.
 *
 * @example
 * documentedLimit(buildInventory(spec).rateLimits);
 * // { limit: 100, windowSeconds: 60, text: 'Each client may make 100 requests per minute.', location: '…#/info/description' }
 */
export function documentedLimit(hints: RateLimitHints): DocumentedLimit | undefined {
  for (const statement of hints.statements) {
    const match = QUOTA.exec(statement.text);
    if (!match) continue;
    const limit = Number(match[1]!.replace(/[,\s]/g, ''));
    const windowSeconds = UNIT_SECONDS[match[2]!.toLowerCase()];
    if (windowSeconds === undefined || !(limit > 0)) continue;
    return { limit, windowSeconds, text: statement.text, location: statement.location };
  }
  return undefined;
}
