/**
 * report.md: the Acme ERP review as a file snapshot, a review with nothing run yet, and what a
 * vendor's hostile strings can and cannot do to the document.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { renderReportMarkdown } from '../src/report/markdown.js';
import { plainText, headingText, codeBlock } from '../src/report/markdown-text.js';
import type { ReviewModel } from '../src/report/types.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLE_FILE = join(ROOT, 'fixtures/report/model.json');
const SAMPLE = JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as ReviewModel;
const SNAPSHOTS = './__snapshots__/report';

/** What `recon report` builds from an empty review folder: the vendor, and what to run. */
const MINIMAL: ReviewModel = {
  generatedAt: '2026-12-04T22:30:00.000Z',
  vendor: { title: 'Acme ERP API', version: '1.4.0', document: 'specs/acme-erp.openapi.yaml' },
  summary: { works: [], doesNotWork: [], confidence: 'low', confidenceWhy: 'Nothing was called: every statement of the document is unverified.' },
  risks: [],
  questions: [],
  coverage: { documented: 0, exercised: 0, operations: [] },
  auth: [],
  latency: [],
  pagination: [],
  idempotency: [],
  missing: [
    'no inventory.json: run recon review (or recon spec --json > review/inventory.json)',
    'no probe.json: run recon probe with a target in recon.yaml',
    'no drift.json: run recon drift --out review/drift.json --format json',
    'no limits.json: run recon limits',
  ],
};

const clone = (model: ReviewModel): ReviewModel => structuredClone(model);

/** The cells of a table row, split on the `|`s that Markdown sees (a `\|` stays in its cell). */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = '';
  for (let i = 1; i < row.length; i++) {
    const c = row[i]!;
    if (c === '\\') {
      cell += c + (row[i + 1] ?? '');
      i++;
    } else if (c === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  return out;
}

/**
 * The Markdown with its code (fenced blocks, code spans) removed: what remains is what a renderer
 * reads as markup. CommonMark §4.5 (a fence closes on a run at least as long), §6.1 (a span runs
 * to the next backtick run of the same length), §2.4 (a backslash-escaped backtick opens nothing).
 */
function withoutCode(markdown: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const run = /^(`{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (run !== undefined && run.length >= fence.length && line.trim() === run) fence = undefined;
      continue;
    }
    if (run !== undefined) {
      fence = run;
      continue;
    }
    let out = '';
    for (let i = 0; i < line.length; ) {
      if (line[i] === '\\') {
        out += line.slice(i, i + 2);
        i += 2;
      } else if (line[i] === '`') {
        const open = /^`+/.exec(line.slice(i))![0];
        const close = new RegExp(`(?<!\`)${open}(?!\`)`).exec(line.slice(i + open.length));
        if (close === null) {
          out += open;
          i += open.length;
        } else i += open.length + close.index + open.length;
      } else out += line[i++];
    }
    kept.push(out);
  }
  return kept.join('\n');
}

/** Every row of every table has as many cells as its header. */
function expectTablesIntact(markdown: string): void {
  const lines = markdown.split('\n');
  lines.forEach((line, i) => {
    if (!line.startsWith('| ---') && !/^\| -+:? \|/.test(line)) return;
    const width = cells(lines[i - 1]!).length;
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) expect(cells(lines[j]!), lines[j]!.slice(0, 80)).toHaveLength(width);
  });
}

describe('the sample model (fixtures/report/model.json)', () => {
  it('type-checks as a ReviewModel under strict TypeScript', () => {
    // `as ReviewModel` checks nothing at run time; compile the JSON as a typed literal instead,
    // so a wrong severity or a misspelt field in the fixture fails here.
    const dir = mkdtempSync(join(tmpdir(), 'recon-report-model-'));
    const file = join(dir, 'model-check.ts');
    const types = join(ROOT, 'src/report/types.js').replace(/\\/g, '/');
    writeFileSync(file, `import type { ReviewModel } from '${types}';\nexport const model: ReviewModel = ${readFileSync(SAMPLE_FILE, 'utf8')};\n`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
    });
    // Only this file's diagnostics: others' work in progress elsewhere in src/ must not fail it.
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  }, 60_000);

  it('holds the review the README describes', () => {
    expect(SAMPLE.vendor).toMatchObject({ title: 'Acme ERP API', document: 'specs/acme-erp.openapi.yaml' });
    expect(SAMPLE.rateLimit).toMatchObject({ limit: 60, windowSeconds: 60, documented: { limit: 100, windowSeconds: 60 } });
    expect(SAMPLE.batch).toMatchObject({ calls: 50_000, fits: false });
    expect(SAMPLE.idempotency.find((i) => i.operation === 'POST /invoices')?.verdict).toBe('ignored');
    expect(SAMPLE.risks.map((r) => r.id)).toEqual(expect.arrayContaining(['rate-limit-batch', 'idempotency-ignored:createInvoice', 'profile:non-unique-key:organizationNumber']));
    expect(SAMPLE.questions.length).toBeGreaterThanOrEqual(5);
    expect(SAMPLE.coverage).toMatchObject({ documented: 15, exercised: 11 });
    expect(SAMPLE.missing).toEqual([]);
  });

  it('renders report.md', async () => {
    const markdown = renderReportMarkdown(SAMPLE);
    await expect(markdown).toMatchFileSnapshot(`${SNAPSHOTS}/acme.md`);
    expectTablesIntact(markdown);
  });

  it('keeps the summary to one screen, before the risk register', () => {
    const markdown = renderReportMarkdown(SAMPLE);
    const summary = markdown.slice(markdown.indexOf('## Summary'), markdown.indexOf('## Risk register'));
    expect(summary.split('\n').length).toBeLessThanOrEqual(60);
    expect(summary).toContain('60/min measured (headers, confidence 95%); the document says 100/min');
    expect(summary).toContain('does NOT fit');
    expect(summary).toContain('a limit of ≥ 72/min would fit the deadline');
    expect(summary.match(/^- R\d+ /gm)).toHaveLength(5);
    expect(summary).toContain('**Risks:** 3 high, 5 medium, 3 low. **Questions for the vendor:** 8.');
  });

  it('sorts the risk register high to low, keeping the model order within a severity', () => {
    const rows = renderReportMarkdown(SAMPLE)
      .split('\n')
      .filter((l) => /^\| R\d+ \|/.test(l))
      .map((l) => cells(l));
    expect(rows.map((r) => r[1])).toEqual(['**high**', '**high**', '**high**', 'medium', 'medium', 'medium', 'medium', 'medium', 'low', 'low', 'low']);
    // In the model "amount as string" (medium) comes before the invoice idempotency risk (high).
    expect(rows[1]![2]).toContain('POST /invoices ignores Idempotency-Key');
    expect(rows[3]![2]).toContain('Invoice amount is sometimes a string');
  });

  it('is a pure function of the model', () => {
    const before = clone(SAMPLE);
    expect(renderReportMarkdown(SAMPLE)).toBe(renderReportMarkdown(clone(SAMPLE)));
    expect(SAMPLE).toEqual(before);
  });
});

describe('partial reviews', () => {
  it('renders a short report from vendor info and missing stages alone', async () => {
    const markdown = renderReportMarkdown(MINIMAL);
    await expect(markdown).toMatchFileSnapshot(`${SNAPSHOTS}/minimal.md`);
    expect(markdown.match(/^## .*/gm)).toEqual(['## Summary', '## Missing stages']);
    expect(markdown).toContain('No data for: Risk register, Questions for the vendor, Rate limits and batch plan, Authentication, Coverage, Pagination, Idempotency, Latency, Drift summary per operation.');
  });

  it('survives lists a hand-made model leaves out', () => {
    const bare = { generatedAt: '2026-12-04', vendor: MINIMAL.vendor, missing: ['no probe.json: run recon probe'] } as unknown as ReviewModel;
    const markdown = renderReportMarkdown(bare);
    expect(markdown).toContain('# Review: Acme ERP API 1.4.0');
    expect(markdown).toContain('**Confidence: low.**');
    expect(markdown).toContain('- no probe.json: run recon probe');
  });

  it.each<[string, Partial<ReviewModel>, string[], string[]]>([
    ['a limit without a batch', { rateLimit: SAMPLE.rateLimit! }, ['## Rate limits and batch plan', '- Measured: **60/min**, fixed-window', '**disagrees**'], ['### Batch plan', '**Batch plan:**']],
    ['a documented limit only', { rateLimit: { limit: 100, windowSeconds: 60, source: 'documented', confidence: 0.3, conclusion: 'from the document only' } }, ['- Documented: **100/min** (documented, confidence 30%)', '**Rate limit:** 100/min documented'], ['the document says']],
    ['a limit that agrees', { rateLimit: { ...SAMPLE.rateLimit!, limit: 100 } }, ['100/min measured (headers, confidence 95%), as documented', 'agrees with the measurement'], ['disagrees']],
    ['a batch that fits', { batch: { ...SAMPLE.batch!, fits: true, suggestions: [] } }, ['**Batch plan:**', '### Batch plan'], ['What would make it fit']],
    ['every operation exercised', { coverage: { documented: 2, exercised: 2, operations: [{ operation: 'GET /a', exercised: true }, { operation: 'GET /b', exercised: true }] } }, ['Exercised **2 of 2**', 'Every operation listed was exercised.'], ['Not exercised:']],
    ['an auth scheme that failed', { auth: [{ scheme: 'mtls', type: 'jwt-bearer', works: false, notes: [] }] }, ['| `mtls` | jwt-bearer | **no** | — | — | — | — |'], ['not tried']],
    ['drift without findings', { drift: { summary: { ...SAMPLE.drift!.summary, findings: { error: 0, warning: 0, info: 0 } }, byOperation: [] } }, ['0 errors, 0 warnings, 0 info', 'No findings: the recordings match the document.'], ['| Operation | Errors']],
  ])('%s', (_name, given, want, notWanted) => {
    const markdown = renderReportMarkdown({ ...clone(MINIMAL), ...given });
    for (const text of want) expect(markdown).toContain(text);
    for (const text of notWanted) expect(markdown).not.toContain(text);
    expectTablesIntact(markdown);
  });

  it('lists drift per operation worst first', () => {
    const row = (operation: string, error: number, warning: number) => ({ operation, error, warning, info: 0, kinds: {} });
    const drift = { summary: SAMPLE.drift!.summary, byOperation: [row('GET /a', 0, 1), row('GET /b', 2, 0), row('GET /c', 0, 3)] };
    const markdown = renderReportMarkdown({ ...clone(MINIMAL), drift });
    expect(markdown.match(/^\| `GET \/\w`/gm)).toEqual(['| `GET /b`', '| `GET /c`', '| `GET /a`']);
  });
});

describe('escaping', () => {
  it.each<[string, { given: string; want: string; max?: number }]>([
    ['plain text stays as it is', { given: 'GET /orders has no total', want: 'GET /orders has no total' }],
    ['recon\'s code spans are kept', { given: '`/data/*/amount` is a string', want: '`/data/*/amount` is a string' }],
    ['an unmatched backtick is escaped', { given: 'a `tick', want: 'a \\`tick' }],
    ['a span cut by truncation is escaped', { given: `\`${'x'.repeat(20)}\``, max: 10, want: `\\\`${'x'.repeat(8)}…` }],
    ['emphasis and links are escaped', { given: '/data/*/items/*/qty [x](javascript:alert(1))', want: '/data/\\*/items/\\*/qty \\[x\\](javascript:alert(1))' }],
    ['raw HTML is neutralised', { given: '<script>alert(1)</script>', want: '&lt;script>alert(1)&lt;/script>' }],
    ['HTML inside a code span is literal already', { given: '`<b>`', want: '`<b>`' }],
    ['entities show as written', { given: 'R&D &lt;b&gt;', want: 'R&D &amp;lt;b&amp;gt;' }],
    ['backslashes are doubled', { given: 'C:\\temp\\', want: 'C:\\\\temp\\\\' }],
    ['newlines and controls stay on one line', { given: 'a\nb\r\nc\u001b[31m', want: 'a b c\\\\u001b\\[31m' }],
    ['a heading start is escaped', { given: '# not a heading', want: '\\# not a heading' }],
    ['a list start is escaped', { given: '1. not a list', want: '1\\. not a list' }],
  ])('%s', (_name, { given, want, max }) => {
    expect(plainText(given, max)).toBe(want);
  });

  it('escapes the closing # of a heading', () => {
    expect(headingText('Acme ERP ##')).toBe('Acme ERP \\#\\#');
  });

  it('fences a code block longer than any backtick run in it', () => {
    expect(codeBlock(['a ``` b', 'c'])).toEqual(['````text', 'a ``` b', 'c', '````']);
  });

  it('keeps a report intact when the vendor\'s strings are hostile', () => {
    const long = 'x'.repeat(10_000);
    const evil = `a|b \`tick\` \`\`\` <script>alert(1)</script>\n## injected\r\n| x | y |\u001b[2J ${long}`;
    const model = clone(SAMPLE);
    model.vendor.title = evil;
    model.target = { name: evil, baseUrl: evil };
    model.summary.works.push(evil);
    model.summary.confidenceWhy = evil;
    model.risks[0]!.title = evil;
    model.risks[0]!.evidence = [evil, evil, evil, evil, evil, evil, evil];
    model.risks[0]!.id = evil;
    model.questions[0]!.question = evil;
    model.questions[0]!.evidence = evil;
    model.questions[1]!.operation = evil;
    model.auth[0]!.notes = [evil];
    model.coverage.operations[0]!.why = evil;
    model.pagination[0]!.notes = [evil];
    model.idempotency[0]!.detail = evil;
    model.latency[0]!.operation = evil;
    model.drift!.byOperation[0]!.kinds = { [evil]: 1 };
    model.batch!.limit.source = evil;
    model.missing = [evil];

    const markdown = renderReportMarkdown(model);
    expectTablesIntact(markdown);
    // No raw HTML outside code spans, no injected heading or table row, nothing huge, no controls.
    expect(withoutCode(markdown)).not.toContain('<script>');
    expect(withoutCode(markdown)).toContain('&lt;script>');
    expect(markdown).not.toMatch(/^#+ injected/m);
    expect(markdown).not.toMatch(/^\| x \| y \|/m);
    expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(markdown).not.toContain('x'.repeat(1001));
    for (const line of markdown.split('\n')) expect(line.length).toBeLessThan(5000);
    // The headings are still the report's own, and the questions are still numbered 1…8.
    expect(markdown.match(/^## .*/gm)).toEqual([
      '## Summary',
      '## Risk register',
      '## Questions for the vendor',
      '## Rate limits and batch plan',
      '## Authentication',
      '## Coverage',
      '## Pagination',
      '## Idempotency',
      '## Latency',
      '## Drift summary per operation',
      '## Missing stages',
    ]);
    expect(markdown.match(/^\d+\. /gm)).toEqual(['1. ', '2. ', '3. ', '4. ', '5. ', '6. ', '7. ', '8. ']);
    // The evidence list is capped, and a ``` in the plan's limit source does not close its fence.
    expect(markdown).toContain('… and 2 more');
    const fence = markdown.match(/^(`{3,})text$/m)?.[1];
    expect(fence?.length).toBeGreaterThan(3);
  });
});
