/**
 * No false positives: a server that answers exactly as its document says yields no error and no
 * warning. Responses are generated from three real vendor documents' own schemas and examples
 * (test/helpers/conformant-har.ts) and diffed against the same documents.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reviewDrift, runDrift } from '../src/drift/index.js';
import { loadSpec } from '../src/spec/index.js';
import { writeConformantHar } from '../src/drift/conformant-har.js';

const DOCUMENTS = [
  ['Tripletex (OpenAPI 3.0)', 'fixtures/specs/tripletex/tripletex-openapi-3.0.json'],
  ['Tripletex (Swagger 2.0)', 'fixtures/specs/tripletex/tripletex-swagger-2.0.json'],
  ['Fiken', 'fixtures/specs/fiken/fiken-api-2.0.0.yaml'],
  ['24SevenOffice', 'fixtures/specs/24sevenoffice/rest.yaml'],
  ['Acme ERP', 'specs/acme-erp.openapi.yaml'],
] as const;

describe('a spec-conformant server yields no findings', () => {
  it.each(DOCUMENTS)('%s', async (_name, document) => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-conformant-'));
    const spec = await loadSpec(document);
    const har = join(dir, 'conformant.har');
    const written = await writeConformantHar(spec, har, { seed: 7, perOperation: 1 });
    expect(written.entries).toBeGreaterThan(5);
    const { report } = await reviewDrift({ spec: document, recordings: [har] });
    // Schemas the generator could not satisfy (a pattern it cannot invert…) are named; findings
    // inside them are the generator's, not drift's. They must stay few.
    const unsatisfiable = written.problems.map((p) => p.at.slice(p.at.indexOf('#') + 1));
    expect(unsatisfiable.length).toBeLessThanOrEqual(3);
    const wrong = report.findings.filter((f) => f.severity !== 'info' && !unsatisfiable.some((at) => f.location?.pointer.startsWith(at)));
    expect(wrong.map((f) => `${f.kind} ${f.operation.method} ${f.operation.path} ${f.status} ${f.pointer}: ${f.message}`)).toEqual([]);
    expect(report.summary.skipped).toBe(0);
    expect(report.summary.checked).toBe(written.entries);
    expect(report.summary.operationsObserved).toBe(written.entries);
  }, 120_000);
});

it('the same generator with a planted deviation is caught (the test can fail)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'recon-conformant-'));
  const document = 'fixtures/specs/fiken/fiken-api-2.0.0.yaml';
  const spec = await loadSpec(document);
  const har = join(dir, 'conformant.har');
  await writeConformantHar(spec, har, { seed: 7, perOperation: 1 });
  const { readFile, writeFile } = await import('node:fs/promises');
  const data = JSON.parse(await readFile(har, 'utf8')) as { log: { entries: { response: { content: { text: string } } }[] } };
  const first = data.log.entries.find((e) => e.response.content.text.startsWith('{'))!;
  first.response.content.text = JSON.stringify({ ...JSON.parse(first.response.content.text), plantedByTest: 1 });
  await writeFile(har, JSON.stringify(data));
  const { report } = await reviewDrift({ spec: document, recordings: [har] });
  expect(report.findings.filter((f) => f.kind === 'undocumented-property' && f.pointer === '/plantedByTest')).toHaveLength(1);
});

describe('the overlay round trip on real vendor documents with planted deviations', () => {
  it.each([
    ['Tripletex (Swagger 2.0: the overlay targets definitions/, responses/…/schema, x-nullable)', 'fixtures/specs/tripletex/tripletex-swagger-2.0.json'],
    ['Tripletex (OpenAPI 3.0)', 'fixtures/specs/tripletex/tripletex-openapi-3.0.json'],
    ['Fiken (OpenAPI 3.0, YAML)', 'fixtures/specs/fiken/fiken-api-2.0.0.yaml'],
  ])('%s', async (_name, document) => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp(join(tmpdir(), 'recon-overlay-'));
    const spec = await loadSpec(document);
    const har = join(dir, 'planted.har');
    await writeConformantHar(spec, har, { seed: 3, perOperation: 1, maxEntries: 60 });
    type Entry = { request: { url: string }; response: { status: number; content: { text: string } } };
    const data = JSON.parse(await readFile(har, 'utf8')) as { log: { entries: Entry[] } };
    // Plant what vendors do: an extra property, a number sent as a string, a null, a new status.
    let planted = 0;
    for (const entry of data.log.entries) {
      const body = JSON.parse(entry.response.content.text) as unknown;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) continue;
      const record = body as Record<string, unknown>;
      record.plantedExtra = { nested: 'x', count: 2 };
      const numeric = Object.keys(record).find((k) => typeof record[k] === 'number');
      if (numeric !== undefined) record[numeric] = String(record[numeric]);
      const text = Object.keys(record).find((k) => typeof record[k] === 'string' && k !== numeric);
      if (text !== undefined) record[text] = null;
      entry.response.content.text = JSON.stringify(record);
      if (++planted % 7 === 0) entry.response.status = 418;
    }
    expect(planted).toBeGreaterThan(10);
    await writeFile(har, JSON.stringify(data));

    const first = await reviewDrift({ spec: document, recordings: [har], overlay: true });
    expect(first.report.summary.findings.error + first.report.summary.findings.warning).toBeGreaterThan(planted);
    const overlay = { source: 'generated', document: first.overlay!.overlay };
    const corrected = await loadSpec(document, { overlays: [overlay] });
    expect(corrected.source.overlays?.[0]?.unmatched).toEqual([]);
    const again = await runDrift({ spec: corrected, recordings: [har] });
    expect(again.report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind} ${f.operation.path} ${f.status} ${f.pointer}`)).toEqual([]);
  }, 120_000);
});
