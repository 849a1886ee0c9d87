/**
 * `recon report`, `recon review` and `recon demo` end to end: the sandbox review's Markdown
 * report and integration spec as file snapshots, the CLI's outputs and exit codes, a review
 * folder with stages missing, and the demo's whole review naming what the sandbox plants.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readIntegrationSpec, writeReport, type WrittenReport } from '../src/report/index.js';
import { launchChromium } from './helpers/chromium.js';
import { runRecon } from './helpers/recon-cli.js';
import { pathToFileURL } from 'node:url';

const NOW = new Date('2026-12-04T12:00:00Z');
const BATCH = { calls: 50_000, deadlineSeconds: 8 * 3600 };

async function workspaceCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-report-'));
  await cp('fixtures/review/acme', dir, { recursive: true });
  return dir;
}

describe('the sandbox review report (fixtures/review/acme)', () => {
  let written: WrittenReport;
  beforeAll(async () => {
    const dir = await workspaceCopy();
    written = await writeReport(join(dir, 'review'), { workspace: dir, now: NOW, batch: BATCH });
  });

  it('report.md (snapshot)', async () => {
    const text = (await readFile(written.files.markdown, 'utf8')).replaceAll(/\/tmp\/recon-report-[A-Za-z0-9]+/g, '<workspace>');
    await expect(text).toMatchFileSnapshot('__snapshots__/report/acme-review.md');
  });

  it('integration-spec.yaml (snapshot) validates against its schema when read back', async () => {
    const text = (await readFile(written.files.integrationSpec, 'utf8')).replaceAll(/\/tmp\/recon-report-[A-Za-z0-9]+/g, '<workspace>');
    await expect(text).toMatchFileSnapshot('__snapshots__/report/acme-review.integration-spec.yaml');
    const spec = await readIntegrationSpec(written.files.integrationSpec);
    expect(spec.integrationSpec).toBe(1);
  });

  it('names the planted deviations with their numbers', () => {
    const { model } = written;
    const everything = JSON.stringify([model.risks, model.questions]);
    expect(model.rateLimit).toMatchObject({ limit: 60, windowSeconds: 60, documented: { limit: 100, windowSeconds: 60 } });
    expect(model.batch?.fits).toBe(false);
    for (const text of ['14h 7m', 'Idempotency-Key', 'POST /invoices', 'organizationNumber', '10 different records', 'amount', 'dd.MM.yyyy', 'credited', '`total`', 'address', 'warehouseCode', 'description', '112', 'Link']) {
      expect(everything, text).toContain(text);
    }
    expect(model.missing).toEqual([]);
  });

  it('report.html opens in headless Chromium: no console errors, no requests, the key parts visible', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => problems.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      const url = pathToFileURL(written.files.html).href;
      await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : (problems.push(`request: ${route.request().url()}`), route.abort())));
      await page.goto(url);
      expect(await page.getByRole('heading', { name: 'Risk register' }).isVisible()).toBe(true);
      expect(await page.getByText('POST /invoices ignores the Idempotency-Key').first().isVisible()).toBe(true);
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(3);
      const shot = await page.screenshot({ fullPage: true });
      expect(shot.length).toBeGreaterThan(50_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('report.html is one self-contained file', async () => {
    const html = await readFile(written.files.html, 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src (&#39;|')none/);
    expect(html).not.toMatch(/<script[\s>]|<link |src="http/);
    expect(html).toContain('POST /invoices');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });
});

describe('recon report (CLI)', () => {
  it('writes the three files and says how many risks and questions', async () => {
    const dir = await workspaceCopy();
    const run = await runRecon(['report', '--review', join(dir, 'review'), '--batch-calls', '50000', '--deadline', '8h', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { files: Record<string, string>; missing: string[]; risks: number; questions: number };
    expect(result.missing).toEqual([]);
    expect(result.risks).toBeGreaterThan(10);
    for (const file of Object.values(result.files)) expect((await readFile(file, 'utf8')).length).toBeGreaterThan(1000);
  });

  it('a review folder with stages missing: says what to run, still writes the report', async () => {
    const dir = await workspaceCopy();
    await rm(join(dir, 'review', 'limits.json'));
    await rm(join(dir, 'review', 'drift.json'));
    const run = await runRecon(['report', '--review', join(dir, 'review')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/limits\.json/);
    expect(run.stderr).toMatch(/drift\.json/);
    expect(run.stdout).toMatch(/Report: +.*report\.html/);
  });

  it('a folder that does not exist: exit 2 naming it', async () => {
    const run = await runRecon(['report', '--review', 'no/such/review']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no\/such\/review/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--deadline without --batch-calls is a usage error', async () => {
    const run = await runRecon(['report', '--deadline', '8h']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--batch-calls/);
  });
});

describe('recon review and recon demo', () => {
  it('review without a recon.yaml says how to get one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-noconfig-'));
    const run = await runRecon(['review'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/recon init|recon demo/);
  });

  it('demo runs the whole review of the sandbox, offline, in under a minute', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'recon-demo-test-')), 'ws');
    const run = await runRecon(['demo', '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const demo = JSON.parse(run.stdout) as { durationMs: number; files: Record<string, string>; risks: { id: string; title: string }[]; questions: unknown[]; missing: string[]; rateLimit: { limit: number } };
    expect(demo.durationMs).toBeLessThan(60_000);
    expect(demo.missing).toEqual([]);
    expect(demo.rateLimit.limit).toBe(60);
    const ids = demo.risks.map((r) => r.id);
    for (const id of ['rate-limit-documented', 'rate-limit-batch']) expect(ids).toContain(id);
    expect(ids.some((id) => id.startsWith('idempotency-ignored'))).toBe(true);
    expect(ids.some((id) => id.startsWith('profile:non-unique-key'))).toBe(true);
    expect(demo.questions.length).toBeGreaterThan(10);
    // What the demo's extra calls reach: a duplicate SKU, the CSV export, a delete that is not implemented.
    const asked = JSON.stringify(demo.questions);
    for (const text of ['409', 'text/csv', 'vnd.acme.v1+json', 'credited', 'dd.MM.yyyy', 'warehouseCode', 'organizationNumber', 'Idempotency-Key']) expect(asked, text).toContain(text);
    const spec = await readIntegrationSpec(demo.files.integrationSpec!);
    expect(spec.integrationSpec).toBe(1);
  }, 90_000);

  it('demo explains itself to a newcomer', async () => {
    const run = await runRecon(['demo']);
    expect(run.code).toBe(0);
    for (const text of ['What the review found', 'Rate limit   60 requests per 60 s, measured; the document promises 100 per 60 s', 'does not fit', 'Open the report', 'report.html', 'integration-spec.yaml']) {
      expect(run.stdout).toContain(text);
    }
  }, 90_000);
});
