/**
 * A recording of the Acme ERP sandbox that reaches every planted deviation drift can see
 * (README "Deviations: documented vs actual"), made with recon's own HTTP client and HAR
 * recorder. `fixtures/drift/acme/` holds the committed copies (regenerate with
 * `RECON_REGENERATE=1 npx vitest run test/drift.test.ts`); tests that need a live one call this.
 */
import { createHttpClient, createRedactor, HarRecorder } from '../../src/http/index.js';
import { startSandbox } from '../../src/sandbox/index.js';

export const ACME_API_KEY = 'acme-demo-key';

export interface AcmeRecordingOptions {
  release?: 1 | 2;
  /** Fixed port for reproducible URLs in committed fixtures (0: any). */
  port?: number;
  /** Requests per minute the sandbox allows: low enough that the last calls get 429. */
  rateLimitPerMinute?: number;
}

/** The calls: [method, path, headers?, body?]. Order matters: faults are planned per call number. */
const CALLS: [string, string, Record<string, string>?, unknown?][] = [
  ['GET', '/customers?page=1&pageSize=25'],
  ['GET', '/customers?page=2&pageSize=25'],
  ['GET', '/customers/10004'],
  ['GET', '/customers/10007'],
  ['GET', '/customers/10024'],
  ['GET', '/customers/10030'],
  ['GET', '/customers', { accept: 'text/csv' }],
  ['GET', '/customers/10004/contacts'],
  ['GET', '/customers/10009/contacts'],
  ['GET', '/internal/health'],
  ['GET', '/products?page=1&pageSize=20'],
  ['GET', '/products?page=2&pageSize=20'],
  ['GET', '/products/5003'],
  ['GET', '/products/5013'],
  ['GET', '/products/categories'],
  ['POST', '/products', { 'content-type': 'application/json' }, { sku: 'RECON-TEST-1', name: 'Recon test product', price: 10, categoryId: 1, vatRate: 25 }],
  ['POST', '/products', { 'content-type': 'application/json' }, { sku: 'RECON-TEST-1', name: 'Recon test product', price: 10, categoryId: 1, vatRate: 25 }],
  ['GET', '/invoices?page=1&pageSize=40'],
  ['GET', '/invoices?page=2&pageSize=40'],
  ['GET', '/invoices/{2024006}'],
  ['GET', '/invoices/{2024017}'],
  ['GET', '/orders?page=1&pageSize=20'],
  ['GET', '/orders?page=2&pageSize=20'],
  ['GET', '/orders/70007'],
  ['GET', '/orders/70020'],
  ['DELETE', '/products/5001'],
];

/**
 * Records CALLS (plus `extra429` more list calls to run into the limit) into `file`.
 * @example await recordAcme('/tmp/acme.har', { release: 2 })
 */
export async function recordAcme(file: string, options: AcmeRecordingOptions = {}): Promise<{ entries: number }> {
  const sandbox = await startSandbox({ port: options.port ?? 0, seed: 42, release: options.release ?? 1, rateLimitPerMinute: options.rateLimitPerMinute ?? CALLS.length + 1, latencyMs: 0 });
  const recorder = new HarRecorder({ redactor: createRedactor({ secrets: [ACME_API_KEY] }), creator: { name: 'recon-test', version: '1' } });
  const client = createHttpClient({ onExchange: (exchange) => recorder.add(exchange), clock: fixedClock() });
  try {
    const calls = [...CALLS, ['GET', '/customers/10001'], ['GET', '/customers/10002'], ['GET', '/customers/10003']] as typeof CALLS;
    /** invoice number → id, read from the invoice list (ids are random UUIDs per seed). */
    const invoiceIds = new Map<string, string>();
    for (const [method, template, headers = {}, body] of calls) {
      const path = template.replace(/\{(\d+)\}/, (_, number: string) => invoiceIds.get(number) ?? number);
      const exchange = await client.send({
        method,
        url: `${sandbox.url}/api/v1${path}`,
        headers: [['x-api-key', ACME_API_KEY], ...Object.entries(headers)],
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (path.startsWith('/invoices?') && exchange.response?.status === 200) {
        const page = JSON.parse(exchange.response.body.toString('utf8')) as { data: { id: string; invoiceNumber: number }[] };
        for (const invoice of page.data) invoiceIds.set(String(invoice.invoiceNumber), invoice.id);
      }
    }
  } finally {
    await client.close();
    await sandbox.close();
  }
  await recorder.write(file);
  return { entries: CALLS.length + 3 };
}

/** Every call "starts" one second after the last, so the HAR's times do not change between runs. */
function fixedClock(): () => number {
  let now = Date.UTC(2026, 0, 5, 9, 0, 0);
  return () => (now += 500);
}
