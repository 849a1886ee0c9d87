/**
 * `recon demo`: the review journey on the bundled Acme ERP sandbox, offline. Starts the sandbox,
 * inventories the document it serves, makes a first authenticated contact, and checks the first
 * responses against the documented schemas, so that a new user sees in a minute what recon is
 * for: the vendor's document and its API do not agree.
 */
import { request } from 'undici';
import { buildInventory, getAtPointer, loadSpec, type ApiSpec, type Inventory } from '../spec/index.js';
import { startSandbox } from '../sandbox/index.js';

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

/** A place where the document and the sandbox's behaviour disagree. */
export interface Contradiction {
  topic: 'rate-limit' | 'pagination' | 'schema';
  operation?: string;
  text: string;
}

export interface DemoResult {
  sandboxUrl: string;
  specUrl: string;
  inventory: Inventory;
  steps: DemoStep[];
  contradictions: Contradiction[];
}

/** The list operations whose first page the demo checks against the document. */
const CHECKED_LISTS = ['/customers', '/invoices', '/products', '/orders'];
const MAX_SCHEMA_EXAMPLES = 6;

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const sandbox = await startSandbox({ port: 0, seed: options.seed ?? 42, faults: false });
  const steps: DemoStep[] = [];
  const contradictions: Contradiction[] = [];
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
    const specUrl = `${sandbox.url}/openapi.yaml`;
    const spec = await step('load the document the vendor serves', async () => {
      const value = await loadSpec(specUrl, { cwd: options.cwd ?? process.cwd() });
      return { value, ok: true, detail: `${value.info.title} ${value.info.version}, OpenAPI ${value.declaredVersion}` };
    });
    const inventory = await step('inventory it', async () => {
      const value = buildInventory(spec);
      const raised = value.gaps.filter((g) => g.severity !== 'info').length;
      return { value, ok: true, detail: `${value.counts.operations} operations, ${value.securitySchemes.length} security schemes, ${raised} gaps to raise` };
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
      return { value: body.access_token ?? '', ok, detail: ok ? `token lives ${body.expires_in} s` : `HTTP ${response.statusCode}` };
    });

    for (const path of CHECKED_LISTS) {
      await step(`GET ${path}, checked against the document`, async () => {
        const url = `${api}${path}`;
        const response = await request(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
        const text = await response.body.text();
        const headers = response.headers;
        if (path === '/customers') contradictions.push(...firstContactFindings(inventory, headers));
        const mismatches = checkAgainstDocument(spec, url, response.statusCode, text);
        for (const text of mismatches.slice(0, MAX_SCHEMA_EXAMPLES)) contradictions.push({ topic: 'schema', operation: `GET ${path}`, text });
        const detail = `HTTP ${response.statusCode}, ${mismatches.length === 0 ? 'matches the document' : `${mismatches.length} kind(s) of mismatch`}`;
        return { value: undefined, ok: response.statusCode === 200, detail };
      });
    }
    return { sandboxUrl: sandbox.url, specUrl, inventory, steps, contradictions };
  } finally {
    await sandbox.close();
  }
}

/** What the first response's headers say against what the document says. */
function firstContactFindings(inventory: Inventory, headers: Record<string, string | string[] | undefined>): Contradiction[] {
  const found: Contradiction[] = [];
  const observed = first(headers['x-ratelimit-limit']);
  const statement = inventory.rateLimits.statements.map((s) => /(\d+)\s+requests?\s+per\s+(\w+)/i.exec(s.text)).find((m) => m !== null);
  if (observed !== undefined && statement && observed !== statement[1]) {
    found.push({ topic: 'rate-limit', text: `the document says ${statement[1]} requests per ${statement[2]}, the sandbox's X-RateLimit-Limit says ${observed}` });
  }
  if (first(headers.link) !== undefined) {
    found.push({ topic: 'pagination', text: 'documented as page numbers, but the sandbox paginates with a Link header the document never mentions' });
  }
  return found;
}

/**
 * Validate a response body against the schema the document gives for its operation and status,
 * and describe each kind of mismatch once (array indices folded to `*`).
 */
function checkAgainstDocument(spec: ApiSpec, url: string, status: number, text: string): string[] {
  const match = spec.matchOperation('GET', url);
  if (match.kind !== 'matched') return [`not a documented operation (${match.kind})`];
  const response = match.match.operation.responses.find((r) => r.status === String(status));
  const media = response?.content.find((c) => c.mediaType === 'application/json');
  if (!media?.schema) return [`status ${status} is not documented with a JSON schema`];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return ['the body is not valid JSON'];
  }
  const validate = spec.validator(media.schema);
  if (validate(body)) return [];
  const kinds = new Map<string, string>();
  for (const error of validate.errors ?? []) {
    const where = error.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '/';
    const detail = error.keyword === 'additionalProperties' ? `undocumented property "${String(error.params.additionalProperty)}"` : error.message ?? error.keyword;
    const key = `${where} ${detail}`;
    const seen = error.keyword === 'required' || error.keyword === 'additionalProperties' ? undefined : getAtPointer(body, error.instancePath);
    if (!kinds.has(key)) kinds.set(key, `${where}: ${detail}${seen === undefined ? '' : ` (saw ${preview(seen)})`}`);
  }
  return [...kinds.values()];
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
