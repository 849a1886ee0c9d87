/**
 * report.html: unit tests of escaping, empty and huge models, and one end-to-end run in headless
 * Chromium (one browser for every browser check) that opens the written file the way a reader
 * does and checks what they would see.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWindow, planBatch } from '../src/limits/plan/index.js';
import { escapeHtml, MAX_DOTS, MAX_HEATMAP_ROWS, MAX_LATENCY_ROWS, REPORT_CSP, renderReportHtml } from '../src/report/html/index.js';
import type { ReviewModel } from '../src/report/types.js';
import { findChromium, launchChromium } from './helpers/chromium.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'fixtures', 'report', 'model.json');

/** Deterministic pseudo-random numbers (mulberry32), so the models are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal latencies around `median` ms, with a slow tail. */
function latencies(rnd: () => number, n: number, median: number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd());
    return Math.round(median * Math.exp(0.45 * z) * 10) / 10;
  });
}

function latencyRow(operation: string, samples: number[]): ReviewModel['latency'][number] {
  const sorted = [...samples].sort((a, b) => a - b);
  const nearestRank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { operation, p50: nearestRank(0.5), p95: nearestRank(0.95), p99: nearestRank(0.99), samples };
}

/** A 60/min fixed window measured for 100 s: 60 answers, 429s until the reset, then answers again. */
function limitsTimeline(): NonNullable<ReviewModel['limitsTimeline']> {
  const out: NonNullable<ReviewModel['limitsTimeline']> = [];
  for (let i = 0; i < 200; i++) {
    const atMs = i * 500;
    const inWindow = out.filter((c) => c.status === 200 && Math.floor(c.atMs / 60_000) === Math.floor(atMs / 60_000)).length;
    out.push(inWindow < 60 ? { atMs, status: 200, remaining: 59 - inWindow } : { atMs, status: 429, remaining: 0 });
  }
  return out;
}

/** The Acme ERP review, built here so the charts have real shapes to draw. */
function acmeModel(): ReviewModel {
  const rnd = random(42);
  const ops = ['GET /customers', 'GET /customers/{customerId}', 'GET /products', 'GET /invoices', 'GET /invoices/{invoiceId}', 'POST /invoices', 'GET /orders', 'POST /orders', 'GET /reports/export'];
  const medians = [80, 45, 120, 210, 60, 340, 150, 280, 2400];
  return {
    generatedAt: '2026-12-04T22:00:00Z',
    vendor: { title: 'Acme ERP API', version: '1.4.0', document: 'specs/acme-erp.openapi.yaml', sha256: '71351720edfaf31c0fdf3c2b512b765309a786eb62519ebf893e5fa2afea8810' },
    target: { name: 'sandbox', baseUrl: 'http://127.0.0.1:4010/api/v1' },
    summary: {
      works: ['OAuth 2.0 client credentials; tokens live 3600 s', 'POST /orders honours Idempotency-Key'],
      doesNotWork: ['The rate limit is 60/min, not the documented 100/min', 'POST /invoices ignores Idempotency-Key'],
      confidence: 'medium',
      confidenceWhy: 'Every read was called, but the sample is small and nothing ran against production.',
    },
    risks: [
      { id: 'idempotency-ignored:createInvoice', severity: 'high', title: 'Retrying POST /invoices creates duplicates', evidence: ['two invoices for one key'], consequence: 'Double billing on retry.', mitigation: 'Look up before create.', source: 'probe' },
      { id: 'rate-limit-batch', severity: 'high', title: 'The rate limit makes the batch miss its night', evidence: ['60 req/min measured (headers)', '100/min documented'], consequence: 'The 50,000-call batch takes 14 h.', mitigation: 'Ask for 72/min.', source: 'limits' },
      { id: 'drift:type-mismatch:/invoices', severity: 'medium', title: 'Invoice amount is sometimes a string', evidence: ['9 of 80 invoices'], consequence: 'Parsing fails.', mitigation: 'Parse decimals.', source: 'drift' },
      { id: 'coverage', severity: 'low', title: '4 operations not exercised', evidence: [], consequence: 'Unknown behaviour.', mitigation: 'Test in staging.', source: 'coverage' },
    ],
    questions: [
      { id: 'rate-limit', question: 'Which limit applies in production: 60/min or 100/min?', evidence: 'X-RateLimit-Limit: 60' },
      { id: 'idempotency:createInvoice', operation: 'POST /invoices', question: 'Will POST /invoices honour Idempotency-Key?', evidence: 'Two invoices for one key.' },
      { id: 'enum:status', operation: 'GET /invoices', question: 'Is "credited" a valid invoice status?', evidence: '3 of 80 invoices.' },
    ],
    coverage: { documented: 13, exercised: 9, operations: [...ops.map((operation) => ({ operation, exercised: true })), ...['POST /customers', 'DELETE /orders/{orderId}', 'PUT /products/{productId}', 'POST /oauth/token'].map((operation) => ({ operation, exercised: false, why: 'not a safe method' }))] },
    auth: [{ scheme: 'oauth2', type: 'oauth2-client-credentials', works: true, tokenLifetimeSeconds: 3600, toOrder: 'A production OAuth client', leadTime: '5 working days', notes: ['scopes: erp.read erp.write'] }],
    rateLimit: { limit: 60, windowSeconds: 60, policy: 'fixed-window', source: 'headers', confidence: 0.95, documented: { limit: 100, windowSeconds: 60 }, conclusion: 'Limit: 60 requests per 60 s; the document says 100: disagreement.' },
    batch: planBatch({ calls: 50_000, limit: { requests: 60, windowSeconds: 60 }, start: new Date('2026-12-04T17:00:00Z'), deadline: { seconds: 12 * 3600 }, windows: [parseWindow('Mon-Fri 18:00-06:00')], utcOffsetMinutes: 60 }),
    latency: ops.map((op, i) => latencyRow(op, latencies(rnd, 40 + Math.floor(rnd() * 160), medians[i]!))),
    drift: {
      summary: { exchanges: 120, checked: 112, skipped: 8, operationsObserved: 9, operationsDocumented: 13, findings: { error: 9, warning: 14, info: 12 } },
      byOperation: [
        { operation: 'GET /invoices', error: 4, warning: 3, info: 3, kinds: { 'type-mismatch': 9, 'format-mismatch': 12, 'enum-mismatch': 3, 'undocumented-header': 2, 'never-observed': 3 } },
        { operation: 'GET /orders', error: 2, warning: 3, info: 3, kinds: { 'missing-required': 1, 'constraint-violation': 1, 'undocumented-status': 1, 'never-observed': 3 } },
        { operation: 'GET /products', error: 1, warning: 4, info: 2, kinds: { 'unexpected-null': 1, 'undocumented-property': 40, 'never-observed': 2 } },
        { operation: 'GET /customers', error: 0, warning: 2, info: 4, kinds: { 'undocumented-header': 2, 'non-unique-key': 10, 'never-observed': 4 } },
        { operation: 'GET /reports/export', error: 0, warning: 0, info: 0, kinds: {} },
      ],
    },
    pagination: [{ operation: 'GET /customers', documented: 'page', observed: 'link-header', agrees: false, notes: ['follow rel="next"'] }],
    idempotency: [
      { operation: 'POST /orders', verdict: 'honoured', detail: 'the replay returned the same order' },
      { operation: 'POST /invoices', verdict: 'ignored', detail: 'two invoices for one key' },
    ],
    limitsTimeline: limitsTimeline(),
    missing: [],
  };
}

/** A review with only the document read: nothing measured. */
function unmeasuredModel(): ReviewModel {
  const model = acmeModel();
  const { drift: _drift, rateLimit: _rl, batch: _batch, limitsTimeline: _tl, ...rest } = model;
  return { ...rest, latency: [], coverage: { documented: 0, exercised: 0, operations: [] }, missing: ['no drift.json: run recon drift', 'no limits.json: run recon limits', 'no probe.json: run recon probe'] };
}

/** Every vendor-controlled string replaced by something hostile. */
const HOSTILE = ['<script>window.__pwned = 1</script>', '"><img src=x onerror="window.__pwned=1">', "' onmouseover='x", '&amp; &lt;', 'ctl\u0000\u0007\u001b\u007f', 'rtl\u202egnp.exe', ']]><!--'].join(' ');

function hostileModel(): ReviewModel {
  const model = acmeModel();
  const op = `GET /x${HOSTILE}`;
  model.vendor.title = HOSTILE;
  model.vendor.document = HOSTILE;
  model.summary.works = [HOSTILE];
  model.summary.confidenceWhy = HOSTILE;
  model.risks[0] = { ...model.risks[0]!, id: HOSTILE, title: HOSTILE, evidence: [HOSTILE], consequence: HOSTILE, mitigation: HOSTILE };
  model.questions.push({ id: HOSTILE, operation: op, question: HOSTILE, evidence: HOSTILE });
  model.coverage.operations.push({ operation: op, exercised: false, why: HOSTILE });
  model.auth[0]!.notes.push(HOSTILE);
  model.latency.push(latencyRow(op, [5, 10, 5000]));
  model.drift!.byOperation.unshift({ operation: op, error: 99, warning: 0, info: 0, kinds: { [HOSTILE]: 5, 'type-mismatch': 3 } });
  model.pagination.push({ operation: op, documented: HOSTILE, observed: HOSTILE, agrees: false, notes: [HOSTILE] });
  model.idempotency.push({ operation: op, verdict: HOSTILE, detail: HOSTILE });
  model.missing.push(HOSTILE);
  return model;
}

/** An ERP with 2,000 operations, every one measured and drifting. */
function hugeModel(): ReviewModel {
  const rnd = random(7);
  const model = acmeModel();
  const ops = Array.from({ length: 2000 }, (_, i) => `GET /module${Math.floor(i / 50)}/resource${i}/{id}`);
  model.coverage = { documented: 2000, exercised: 1500, operations: ops.map((operation, i) => ({ operation, exercised: i % 4 !== 0, ...(i % 4 === 0 ? { why: 'not a safe method' } : {}) })) };
  model.latency = ops.map((op) => latencyRow(op, latencies(rnd, 1000, 50 + rnd() * 500)));
  model.drift!.byOperation = ops.map((operation, i) => ({ operation, error: i % 7, warning: i % 5, info: i % 3, kinds: { 'type-mismatch': i % 7, 'undocumented-property': i % 5, 'never-observed': i % 3, 'format-mismatch': i % 11 } }));
  model.limitsTimeline = Array.from({ length: 20_000 }, (_, i) => ({ atMs: i * 50, status: i % 100 > 60 ? 429 : 200, remaining: Math.max(0, 60 - (i % 100)) }));
  model.questions = Array.from({ length: 300 }, (_, i) => ({ id: `q${i}`, operation: ops[i]!, question: `Why does ${ops[i]} send amount as a string?`, evidence: `${i} of 80 responses` }));
  return model;
}

describe('escapeHtml', () => {
  it.each([
    ['markup', { given: '<script>alert("x")</script>', want: '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' }],
    ['ampersand', { given: 'a & b &amp;', want: 'a &amp; b &amp;amp;' }],
    ['single quote', { given: "it's", want: 'it&#39;s' }],
    ['C0 and C1 controls shown, not passed', { given: 'a\u0000b\u0007c\u001bd\u0085', want: 'a\\u0000b\\u0007c\\u001bd\\u0085' }],
    ['tab, newline and CR kept', { given: 'a\tb\nc\r', want: 'a\tb\nc\r' }],
    ['bidi override shown', { given: 'rtl\u202eexe', want: 'rtl\\u202eexe' }],
    ['lone surrogate shown, pair kept', { given: '\ud800x 😀', want: '\\ud800x 😀' }],
    ['plain text unchanged', { given: 'GET /orders/{orderId}', want: 'GET /orders/{orderId}' }],
  ])('%s', (_name, { given, want }) => {
    expect(escapeHtml(given)).toBe(want);
  });
});

describe('findChromium', () => {
  const only = (...paths: string[]) => (path: string) => paths.includes(path);
  it.each([
    ['CHROMIUM_PATH wins', { env: { CHROMIUM_PATH: '/opt/chrome' }, files: ['/opt/chrome', '/usr/bin/chromium'], want: '/opt/chrome' }],
    ['Debian path', { env: {}, files: ['/usr/bin/chromium', '/usr/bin/chromium-browser'], want: '/usr/bin/chromium' }],
    ['Ubuntu path', { env: {}, files: ['/usr/bin/chromium-browser'], want: '/usr/bin/chromium-browser' }],
  ])('%s', (_name, { env, files, want }) => {
    expect(findChromium(env, only(...files))).toBe(want);
  });

  it.each([
    ['none is installed', { env: {}, files: [], want: /No Chromium found[\s\S]*apt-get install -y chromium/ }],
    // A wrong CHROMIUM_PATH is a mistake to report, not a reason to pick another browser.
    ['CHROMIUM_PATH names nothing', { env: { CHROMIUM_PATH: '/nope' }, files: ['/usr/bin/chromium'], want: /CHROMIUM_PATH is set to \/nope, but there is no file there[\s\S]*apt-get install/ }],
  ])('fails with how to install when %s', (_name, { env, files, want }) => {
    expect(() => findChromium(env, only(...files))).toThrow(want);
  });
});

describe('renderReportHtml', () => {
  it('is one self-contained document with a CSP that forbids everything but inline styles', () => {
    const page = renderReportHtml(acmeModel());
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replaceAll("'", '&#39;')}">`);
    expect(page).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg|127\.0\.0\.1)/i);
    for (const id of ['chart-latency', 'chart-drift', 'chart-limits', 'chart-coverage']) expect(page).toContain(`id="${id}"`);
  });

  it('gives every chart a caption, a title and a description for screen readers', () => {
    const page = renderReportHtml(acmeModel());
    const svgs = page.match(/<svg[^>]*>\s*<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/g) ?? [];
    expect(svgs).toHaveLength(4);
    for (const svg of svgs) expect(svg).toMatch(/role="img" aria-labelledby="chart-[a-z]+-title chart-[a-z]+-desc"/);
    expect(page.match(/<figcaption>/g)).toHaveLength(4);
  });

  it('renders the same bytes for the same model', () => {
    expect(renderReportHtml(acmeModel())).toBe(renderReportHtml(acmeModel()));
  });

  it('escapes every vendor string', () => {
    const page = renderReportHtml(hostileModel());
    expect(page).not.toMatch(/<script|<img|<!--|onerror="|onmouseover='/i);
    expect(page).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(page).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(page).toContain('ctl\\u0000\\u0007\\u001b\\u007f');
  });

  it('draws no chart for a review that measured nothing, and says so', () => {
    const page = renderReportHtml(unmeasuredModel());
    expect(page).not.toContain('<svg');
    expect(page.match(/Not measured/g)?.length).toBeGreaterThanOrEqual(3);
    expect(page).toContain('no rate limit in this review');
    expect(page).toContain('no latency samples in this review');
    expect(page).toContain('no drift check in this review');
    expect(page).toContain('no drift.json: run recon drift');
  });

  it('keeps a 2,000-operation review under 3 MB, with the heat map capped', () => {
    const page = renderReportHtml(hugeModel());
    expect(Buffer.byteLength(page)).toBeLessThan(3 * 1024 * 1024);
    const heatmap = page.slice(page.indexOf('id="chart-drift"'), page.indexOf('</svg>', page.indexOf('id="chart-drift"')));
    expect(heatmap.match(/class="heat-row"/g)).toHaveLength(MAX_HEATMAP_ROWS);
    // Operations 0 and 1155 have no findings (every kind count is i mod something = 0).
    expect(heatmap).toContain(`… and ${(1998 - MAX_HEATMAP_ROWS).toLocaleString('en-US')} more operations`);
    expect(page).toMatch(/Show [\d,]+ more rows/);
    const latency = page.slice(page.indexOf('id="chart-latency"'), page.indexOf('</svg>', page.indexOf('id="chart-latency"')));
    expect(latency.match(/class="lat-row"/g)).toHaveLength(MAX_LATENCY_ROWS);
    expect(latency.match(/<circle /g)).toHaveLength(MAX_LATENCY_ROWS * MAX_DOTS);
  });
});

describe('report.html in headless Chromium', () => {
  let browser: Browser;
  let OUT: string;

  beforeAll(async () => {
    findChromium(); // fails with install instructions when there is no browser
    browser = await launchChromium();
    OUT = mkdtempSync(join(tmpdir(), 'recon-report-html-'));
  });
  afterAll(async () => {
    await browser?.close();
    // KEEP_REPORT_HTML=1 keeps the pages and screenshots to look at.
    if (OUT && !process.env.KEEP_REPORT_HTML) rmSync(OUT, { recursive: true, force: true });
  });

  /** Opens a rendered model from a file, failing on any request other than the file itself. */
  async function open(model: ReviewModel, name: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    const file = join(OUT, `${name}.html`);
    writeFileSync(file, renderReportHtml(model));
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => problems.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.route('**/*', (route) => {
      const requested = route.request().url();
      if (requested === url) return route.continue();
      requests.push(requested);
      return route.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  const models: [string, () => ReviewModel][] = [['acme (built in the test)', acmeModel]];
  if (existsSync(FIXTURE)) models.push(['fixtures/report/model.json', () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as ReviewModel]);

  it.each(models)('%s: shows the summary, risks, questions and every chart, quietly and offline', async (name, build) => {
    const model = build();
    const { page, problems, requests } = await open(model, name.replace(/\W+/g, '-'));
    try {
      expect(await page.locator('#summary').isVisible()).toBe(true);
      const riskRow = page.locator('table.risks tr', { hasText: 'rate-limit' }).first();
      expect(await riskRow.isVisible()).toBe(true);
      expect(await page.locator('#questions-list > li').count()).toBe(model.questions.length);
      expect(await page.locator('#questions-list').isVisible()).toBe(true);
      const charts = ['chart-coverage', ...(model.latency.length ? ['chart-latency'] : []), ...(model.drift ? ['chart-drift'] : []), ...(model.limitsTimeline?.length ? ['chart-limits'] : [])];
      for (const id of charts) {
        const box = await page.locator(`#${id} > svg`).boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.width, id).toBeGreaterThan(100);
        expect(box!.height, id).toBeGreaterThan(20);
        expect(await page.locator(`#${id} figcaption`).isVisible(), id).toBe(true);
      }
      const shot = join(OUT, `${name.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(statSync(shot).size).toBeGreaterThan(20 * 1024);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('runs nothing a vendor string smuggles in, and shows it as text', async () => {
    const { page, problems, requests } = await open(hostileModel(), 'hostile');
    try {
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('script, img, [onerror], [onmouseover]').count()).toBe(0);
      expect(await page.locator('h1').textContent()).toContain('<script>window.__pwned = 1</script>');
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('follows a dark colour scheme; printed, it hides navigation and unfolds long tables', async () => {
    const model = acmeModel();
    for (let i = 0; i < 40; i++) model.coverage.operations.push({ operation: `GET /archive/${i}`, exercised: false, why: 'not in the plan' });
    const { page } = await open(model, 'themes');
    try {
      const folded = page.locator('#coverage details.more tr', { hasText: 'GET /archive/39' });
      expect(await folded.isVisible()).toBe(false);
      // The test is compiled without the DOM lib; these are the two browser globals it needs.
      type Browserish = { getComputedStyle(element: unknown): { backgroundColor: string }; document: { body: unknown } };
      const background = () => page.evaluate(() => (globalThis as unknown as Browserish).getComputedStyle((globalThis as unknown as Browserish).document.body).backgroundColor);
      await page.emulateMedia({ colorScheme: 'light' });
      const light = await background();
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await background()).not.toBe(light);
      await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
      expect(await background()).toBe(light);
      expect(await page.locator('nav.toc').isVisible()).toBe(false);
      expect(await folded.isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  });
});
