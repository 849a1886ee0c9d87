/**
 * `recon demo`: the review journey on the bundled Acme ERP sandbox, offline. Starts the sandbox,
 * inventories its document, and makes a first authenticated contact so that a new user sees in
 * a minute what recon is for: the vendor's document and its API do not agree.
 */
import { request } from 'undici';
import { buildInventory, loadSpec, type Inventory } from '../spec/index.js';
import { ACME_SPEC_PATH, startSandbox } from '../sandbox/index.js';

export interface DemoOptions {
  seed?: number;
  cwd?: string;
  /** Called as each step finishes, for progress output. */
  onStep?: (step: DemoStep) => void;
}

export interface DemoStep {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

export interface DemoResult {
  sandboxUrl: string;
  inventory: Inventory;
  steps: DemoStep[];
  /** Where what the document says and what the sandbox did differ, found in the first contact. */
  contradictions: string[];
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const sandbox = await startSandbox({ port: 0, seed: options.seed ?? 42 });
  const steps: DemoStep[] = [];
  const contradictions: string[] = [];
  const step = async <T>(name: string, work: () => Promise<{ value: T; ok: boolean; detail: string }>): Promise<T> => {
    const started = performance.now();
    const { value, ok, detail } = await work();
    const done = { name, ok, detail, ms: Math.round(performance.now() - started) };
    steps.push(done);
    options.onStep?.(done);
    return value;
  };
  try {
    const api = `${sandbox.url}/api/v1`;
    const inventory = await step('inventory the documented API', async () => {
      const spec = await loadSpec(ACME_SPEC_PATH, { cwd: options.cwd ?? process.cwd() });
      const value = buildInventory(spec);
      const errors = value.gaps.filter((g) => g.severity !== 'info').length;
      return { value, ok: true, detail: `${value.counts.operations} operations, ${value.securitySchemes.length} security schemes, ${errors} gaps to raise` };
    });

    const token = await step('OAuth2 client-credentials token', async () => {
      const basic = Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64');
      const response = await request(`${sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      const body = (await response.body.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
      const ok = response.statusCode === 200 && typeof body.access_token === 'string';
      return { value: body.access_token, ok, detail: ok ? `token lives ${body.expires_in} s` : `HTTP ${response.statusCode}` };
    });

    await step('first authenticated call: GET /customers', async () => {
      const response = await request(`${api}/customers`, { headers: { authorization: `Bearer ${token ?? ''}`, accept: 'application/json' } });
      const body = (await response.body.json().catch(() => undefined)) as { data?: unknown[] } | undefined;
      const observedLimit = header(response.headers['x-ratelimit-limit']);
      const documented = inventory.rateLimits.statements.map((s) => s.text).find((t) => /\d+\s+requests?\s+per/i.test(t));
      const documentedLimit = documented ? /(\d+)\s+requests?\s+per\s+(\w+)/i.exec(documented) : null;
      if (observedLimit && documentedLimit && observedLimit !== documentedLimit[1]) {
        contradictions.push(`rate limit: the document says ${documentedLimit[1]} requests per ${documentedLimit[2]}, the sandbox's X-RateLimit-Limit says ${observedLimit}`);
      }
      if (header(response.headers.link) && !/page/.test(JSON.stringify(Object.keys(body ?? {})))) {
        contradictions.push('pagination: documented as page numbers, driven by a Link header');
      } else if (header(response.headers.link)) {
        contradictions.push('pagination: documented as page-based, but the sandbox also sends a Link header; follow it, not the page count');
      }
      const rows = Array.isArray(body?.data) ? body.data.length : 0;
      return { value: undefined, ok: response.statusCode === 200, detail: `HTTP ${response.statusCode}, ${rows} customers on the first page, X-RateLimit-Limit ${observedLimit ?? '(none)'}` };
    });

    return { sandboxUrl: sandbox.url, inventory, steps, contradictions };
  } finally {
    await sandbox.close();
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
