/**
 * What the crash tests share (test/runtime-crash*.test.ts): the two connectors — invoices with
 * the `lookup` strategy, orders with `header` — against a sandbox that fails at random, the
 * input records, a seeded PRNG for the kill points, and a count of invoices at the vendor.
 */
import type { RunningSandbox } from '../../src/sandbox/index.js';

export const CRASH_SECRET = 'crash-test-client-secret';

/** mulberry32: the kill points are random, and the same on every run of the test. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const common = `config: ../recon.yaml
rateLimit: { limit: 600000, windowSeconds: 60 }
vendorId: /id
concurrency: 16
timeoutMs: 300
retry: { maxAttempts: 100, baseDelayMs: 5, maxDelayMs: 50, maxElapsedMs: 600000 }
`;

/** push-invoices (lookup by externalRef) and push-orders (Idempotency-Key header). */
export const CRASH_CONNECTORS: Record<'push-invoices' | 'push-orders', string> = {
  'push-invoices': `name: push-invoices
operation: createInvoice
messageId: /ref
validate: false
request:
  body:
    customerId: \${/customer}
    dueDate: "2026-12-31"
    externalRef: \${/ref}
    lines:
      - lineType: product
        productId: \${/product}
        quantity: \${/qty}
idempotency:
  strategy: lookup
  lookup:
    operation: listInvoices
    request: { query: { externalRef: "\${/ref}" } }
    items: /data
    match: { field: /externalRef, equals: "\${/ref}" }
${common}`,
  'push-orders': `name: push-orders
operation: createOrder
messageId: /ref
request:
  body:
    customerId: \${/customer}
    items:
      - productId: \${/product}
        quantity: \${/qty}
idempotency: { strategy: header }
${common}`,
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
