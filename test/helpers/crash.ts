/**
 * What the crash tests share (test/runtime-crash*.test.ts): the two connectors — invoices with
 * the `lookup` strategy, orders with `header` — against a sandbox that fails at random, the
 * input records, a seeded PRNG for the kill points, and a count of invoices at the vendor.
 */
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { mulberry32 } from '../../src/sandbox/prng.js';
import { connectorYaml } from './runtime-workspace.js';

export const CRASH_SECRET = 'crash-test-client-secret';

/** mulberry32 (the sandbox's generator): the kill points are random, and the same on every run of the test. */
export const prng = mulberry32;

const settings = { rateLimit: { limit: 600000, windowSeconds: 60 }, concurrency: 16, timeoutMs: 300, retry: { maxAttempts: 100, baseDelayMs: 5, maxDelayMs: 50, maxElapsedMs: 600000 } };

/** push-invoices (lookup by externalRef) and push-orders (Idempotency-Key header). */
export const CRASH_CONNECTORS: Record<'push-invoices' | 'push-orders', string> = {
  'push-invoices': connectorYaml('push-invoices-lookup', { id: 'ref', settings }),
  'push-orders': connectorYaml('push-orders-header', { id: 'ref', settings }),
};

/** `n` NDJSON records `<prefix>-1…` for either connector. */
export function crashRecords(prefix: string, n: number): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ ref: `${prefix}-${i + 1}`, customer: 10001 + (i % 7), product: 5001 + (i % 5), qty: 1 + (i % 3) })).join('\n') + '\n';
}

/** How many invoices the vendor holds per externalRef starting with `prefix`. */
export async function invoiceRefs(sandbox: RunningSandbox, prefix: string): Promise<Map<string, number>> {
  const refs = new Map<string, number>();
  for (let page = 1; ; page++) {
    const res = await fetch(`${sandbox.url}/api/v1/invoices?page=${page}&pageSize=100`, { headers: { 'X-Api-Key': sandbox.credentials.apiKey } });
    const body = (await res.json()) as { data: { externalRef?: string }[] };
    for (const invoice of body.data) if (invoice.externalRef?.startsWith(prefix)) refs.set(invoice.externalRef, (refs.get(invoice.externalRef) ?? 0) + 1);
    if (body.data.length < 100) break;
  }
  return refs;
}
