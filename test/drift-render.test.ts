import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderDriftJUnit, renderDriftMarkdown, renderDriftSarif, renderDriftText, FINGERPRINT_KEY } from '../src/drift/render/index.js';
import { codeSpan, tableCell } from '../src/drift/render/markdown-escape.js';
import { escapeXmlAttr, escapeXmlText } from '../src/drift/render/xml-escape.js';
import { displayValue, truncate } from '../src/drift/render/display-value.js';
import { FINDING_KINDS, type DriftReport, type Finding } from '../src/drift/types.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLE: DriftReport = JSON.parse(readFileSync(join(ROOT, 'fixtures/drift/render/report.json'), 'utf8'));
const SNAPSHOTS = './__snapshots__/drift-render';

/** The official OASIS schema (errata 01) is JSON Schema draft-04, hence ajv-draft-04. */
const validateSarif = (() => {
  const Ajv = ajvDraft04 as unknown as typeof ajvDraft04.default;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (ajvFormats as unknown as typeof ajvFormats.default)(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'specs/sarif-2.1.0.schema.json'), 'utf8')));
})();

function expectValidSarif(log: unknown): void {
  const valid = validateSarif(log);
  expect(validateSarif.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const clone = (report: DriftReport): DriftReport => structuredClone(report);

const EMPTY: DriftReport = {
  spec: { source: 'specs/acme-erp.openapi.yaml', title: 'Acme ERP API', version: '2.3.0', sha256: 'a'.repeat(64), overlays: [] },
  recordings: [{ file: 'recordings/probe.har', exchanges: 40, checked: 40, skipped: 0 }],
  summary: { exchanges: 40, checked: 40, skipped: 0, operationsObserved: 3, operationsDocumented: 3, findings: { error: 0, warning: 0, info: 0 } },
  findings: [],
  skipped: [],
};

/** A report whose vendor data tries everything: terminal escapes, XML and Markdown breakers, size. */
function hostileReport(): DriftReport {
  const report = clone(SAMPLE);
  const long = 'x'.repeat(10_000);
  const finding = report.findings[1]!;
  finding.message = `\u001b[31mred\u001b[0m </testcase></testsuite> ]]> | \`tick\` \u0000\u0007\u0008 \ud800 ${long}`;
  finding.observed.examples = ['</testcase>', ']]>', '\u001b]0;title\u0007', 'a\nb\r\nc', `${long}|${long}`, '\uffff\ufffe'];
  finding.pointer = '/data/*/</failure>';
  finding.operation = { method: 'GET', path: '/invoices/"quoted"&<weird>.v1', operationId: 'list\u0000Invoices' };
  report.skipped[0]!.reason = `reason with\nnewline and \u001b[2J ${long}`;
  return report;
}

/** Every line fits the column budget, and no control character reaches the terminal. */
function expectTerminalSafe(text: string, width: number): void {
  for (const line of text.split('\n')) expect(line.length, line.slice(0, 60)).toBeLessThanOrEqual(width);
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
}

describe('renderDriftText', () => {
  it('renders the sample report', async () => {
    const text = renderDriftText(SAMPLE);
    await expect(text).toMatchFileSnapshot(`${SNAPSHOTS}/report.txt`);
    expectTerminalSafe(text, 100);
  });

  it('puts the worst operation first and closes with the total', () => {
    const text = renderDriftText(SAMPLE);
    const headings = text.split('\n').filter((line) => /^(GET|POST|DELETE) /.test(line));
    expect(headings[0]).toMatch(/^GET \/invoices\/\{invoiceId\}  getInvoice  4 errors/);
    expect(headings.at(-1)).toMatch(/^DELETE /);
    expect(text.trimEnd().split('\n').at(-1)).toBe('9 errors, 7 warnings, 3 info in 240 exchanges (12 skipped) across 5 operations');
  });

  it('colours through the chalk instance it is given, and only then', () => {
    const coloured = renderDriftText(SAMPLE, { color: new Chalk({ level: 1 }) });
    expect(coloured).toContain('\u001b[31m✖\u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderDriftText(SAMPLE));
  });

  it('says so when there are no findings', async () => {
    const text = renderDriftText(EMPTY);
    await expect(text).toMatchFileSnapshot(`${SNAPSHOTS}/empty.txt`);
    expect(text).toContain('no findings');
  });

  it.each([80, 100])('keeps hostile values escaped and within %i columns', (width) => {
    const text = renderDriftText(hostileReport(), { width });
    expectTerminalSafe(text, width);
    expect(text).toContain('\\u001b[31mred');
  });
});

describe('renderDriftMarkdown', () => {
  /** Cells of a table row: split at pipes that are not escaped. */
  const cells = (row: string) => row.slice(1, -1).split(/(?<!\\)\|/);

  it('renders the sample report', async () => {
    await expect(renderDriftMarkdown(SAMPLE)).toMatchFileSnapshot(`${SNAPSHOTS}/report.md`);
  });

  it('escapes a pipe and a backtick in an example value', () => {
    const markdown = renderDriftMarkdown(SAMPLE);
    const row = markdown.split('\n').find((line) => line.includes('`/note`') && line.startsWith('| warning'));
    expect(row).toBeDefined();
    expect(row).toContain('``"paid via `SEPA` \\| ref 88-12"``');
    expect(cells(row!)).toHaveLength(7);
  });

  it('keeps every table row to its header\'s columns, hostile values included', () => {
    for (const report of [SAMPLE, hostileReport()]) {
      const lines = renderDriftMarkdown(report).split('\n');
      let columns = 0;
      for (const [index, line] of lines.entries()) {
        if (!line.startsWith('|')) {
          columns = 0;
          continue;
        }
        if (columns === 0) columns = cells(line).length;
        expect(cells(line), `line ${index + 1}`).toHaveLength(columns);
      }
    }
  });

  it('lets no control character, raw newline in a cell or HTML tag through', () => {
    const markdown = renderDriftMarkdown(hostileReport());
    expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // Outside code spans a `<` is an entity, so no value can open an HTML comment or tag.
    expect(markdown).toContain('\\u001b[31mred\\u001b[0m &lt;/testcase>&lt;/testsuite> ]]> \\| `tick`');
    expect(markdown).toContain('reason with newline and \\u001b[2J');
    for (const line of markdown.split('\n')) expect(line.length).toBeLessThan(2_000);
  });

  it('says so when there are no findings', async () => {
    const markdown = renderDriftMarkdown(EMPTY);
    await expect(markdown).toMatchFileSnapshot(`${SNAPSHOTS}/empty.md`);
    expect(markdown).toContain('No findings');
    expect(markdown).not.toContain('## Data profile');
  });

  it('shows an empty data profile when one was asked for', () => {
    expect(renderDriftMarkdown({ ...EMPTY, profile: [] })).toContain('## Data profile\n\nFacts about the vendor\'s data, not about its document.\n\nNothing notable.');
  });
});

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict reader for the XML recon writes (XML 1.0: elements, attributes, character data and
 * the five entities plus character references; no DTD, comments or CDATA). Throws where a
 * conforming parser would report a well-formedness error.
 */
function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  // XML 1.0 §2.2 Char.
  if (/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(xml)) fail('character not allowed in XML 1.0');
  const decode = (raw: string, inAttribute: boolean): string => {
    if (raw.includes('<')) fail('< in character data');
    if (!inAttribute && raw.includes(']]>')) fail(']]> in character data');
    if (/&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(raw)) fail('bare &');
    return raw.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (_m, ref: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      return named[ref] ?? String.fromCodePoint(ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    });
  };
  const space = () => {
    while (/[ \t\r\n]/.test(xml[i] ?? '')) i++;
  };
  const name = (): string => {
    const match = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i));
    if (!match) return fail('name expected');
    i += match[0].length;
    return match[0];
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('< expected');
    i++;
    const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      space();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return node;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('space expected before attribute');
      const attribute = name();
      space();
      if (xml[i] !== '=') fail('= expected');
      i++;
      space();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail('quote expected');
      const end = xml.indexOf(quote!, i + 1);
      if (end < 0) fail('unterminated attribute');
      if (attribute in node.attributes) fail(`duplicate attribute ${attribute}`);
      node.attributes[attribute] = decode(xml.slice(i + 1, end), true);
      i = end + 1;
    }
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) fail(`<${node.name}> not closed`);
      node.text += decode(xml.slice(i, next), false);
      i = next;
      if (xml.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
        space();
        if (xml[i] !== '>') fail('> expected');
        i++;
        return node;
      }
      node.children.push(element());
    }
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (!/^<\?xml version="1\.0" encoding="UTF-8"\?>$/.test(xml.slice(0, end + 2))) fail('bad XML declaration');
    i = end + 2;
  }
  space();
  const root = element();
  space();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

const all = (node: XmlElement, name: string): XmlElement[] => [...(node.name === name ? [node] : []), ...node.children.flatMap((c) => all(c, name))];

describe('parseXml (the test\'s own well-formedness check)', () => {
  it.each([
    ['unclosed element', '<a><b></a>'],
    ['bare ampersand', '<a>x & y</a>'],
    ['less-than in an attribute', '<a b="<"/>'],
    ['CDATA end in text', '<a>]]></a>'],
    ['control character', '<a>\u0001</a>'],
    ['duplicate attribute', '<a b="1" b="2"/>'],
    ['two roots', '<a/><b/>'],
  ])('rejects %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  it('reads entities and character references', () => {
    expect(parseXml('<a b="&quot;&#10;">&lt;&amp;&gt;&#x41;</a>')).toEqual({ name: 'a', attributes: { b: '"\n' }, children: [], text: '<&>A' });
  });
});

describe('renderDriftJUnit', () => {
  it('renders the sample report', async () => {
    const xml = renderDriftJUnit(SAMPLE);
    await expect(xml).toMatchFileSnapshot(`${SNAPSHOTS}/report.junit.xml`);
    parseXml(xml);
  });

  it('has a suite per operation, a case per status, failures for errors and skips for unobserved statuses', () => {
    const root = parseXml(renderDriftJUnit(SAMPLE));
    expect(root.name).toBe('testsuites');
    expect(root.children.map((s) => s.attributes.name)).toEqual([
      'GET /invoices/{invoiceId} (getInvoice)',
      'GET /invoices (listInvoices)',
      'POST /invoices (createInvoice)',
      'GET /customers/{customerId} (getCustomer)',
      'GET /internal/health',
      'DELETE /customers/{customerId} (deleteCustomer)',
    ]);
    const cases = all(root, 'testcase');
    expect(root.attributes).toMatchObject({ tests: String(cases.length), failures: '5', errors: '0', skipped: '3' });
    const invoice = root.children[0]!.children.map((c) => [c.attributes.name, c.children.map((e) => e.name)]);
    expect(invoice).toEqual([
      ['status 404', ['failure']],
      ['status 200', ['failure', 'system-out']],
      ['status 410', ['skipped', 'system-out']],
    ]);
    const failure = root.children[0]!.children[1]!.children[0]!;
    expect(failure.attributes.message).toBe('3 errors: missing-required at 200 /lines/*/vatCode; constraint-violation at 200 /lines/*/quantity; unexpected-null at 200 /customer');
    expect(failure.text).toContain('document: specs/acme-erp.openapi.yaml#/components/schemas/InvoiceLine');
    // Warnings do not fail: the health check's case passes, with the warning in its output.
    const health = root.children[4]!.children[0]!;
    expect(health.children.map((e) => e.name)).toEqual(['system-out']);
  });

  it('keeps hostile values escaped: the XML parses and says what was there', () => {
    const report = hostileReport();
    const xml = renderDriftJUnit(report);
    const root = parseXml(xml);
    expect(all(root, 'testsuite')).toHaveLength(7);
    const suite = root.children.find((s) => s.attributes.name!.includes('quoted'))!;
    expect(suite.attributes.name).toBe('GET /invoices/"quoted"&<weird>.v1 (list\\u0000Invoices)');
    expect(suite.children[0]!.attributes.classname).toBe('GET /invoices/"quoted"&<weird>_v1');
    const failure = all(suite, 'failure')[0]!;
    expect(failure.attributes.message!.length).toBeLessThanOrEqual(200);
    expect(failure.text).toContain('</testcase></testsuite> ]]>');
    expect(failure.text).toContain('"</testcase>", "]]>"');
    expect(failure.text).toContain('\\u001b[31mred\\u001b[0m');
    expect(failure.text).toContain('\\u0000\\u0007\\u0008 \\ud800');
  });

  it('preserves newlines and tabs in attributes', () => {
    expect(parseXml(`<a b="${escapeXmlAttr('one\ntwo\tthree\r')}"/>`).attributes.b).toBe('one\ntwo\tthree\r');
  });

  it('renders one passing test when there are no findings', async () => {
    const xml = renderDriftJUnit(EMPTY);
    await expect(xml).toMatchFileSnapshot(`${SNAPSHOTS}/empty.junit.xml`);
    const root = parseXml(xml);
    expect(root.attributes).toMatchObject({ tests: '1', failures: '0', skipped: '0' });
    expect(all(root, 'testcase')).toHaveLength(1);
  });
});

describe('renderDriftSarif', () => {
  it('renders the sample report, valid against the SARIF 2.1.0 schema', async () => {
    const log = renderDriftSarif(SAMPLE);
    await expect(JSON.stringify(log, null, 2) + '\n').toMatchFileSnapshot(`${SNAPSHOTS}/report.sarif.json`);
    expectValidSarif(log);
  });

  it('has a rule per kind used, and levels and locations from the findings', () => {
    const run = renderDriftSarif(SAMPLE).runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([...FINDING_KINDS]);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    expect(run.results.map((r) => r.level)).toEqual(SAMPLE.findings.map((f) => ({ error: 'error', warning: 'warning', info: 'note' })[f.severity]));
    const amount = run.results.find((r) => r.properties.pointer === '/data/*/amount')!;
    expect(amount.locations[0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'specs/acme-erp.openapi.yaml', uriBaseId: '%SRCROOT%' },
        properties: { jsonPointer: '/components/schemas/Invoice/properties/amount' },
      },
      logicalLocations: [{ fullyQualifiedName: '/components/schemas/Invoice/properties/amount', kind: 'element' }],
    });
    const customer = run.results.find((r) => r.properties.pointer === '/organisationNumber')!;
    expect(customer.locations[0]!.physicalLocation.artifactLocation.uri).toBe('specs/schemas/customer.yaml');
  });

  it.each<[string, Partial<DriftReport['spec']>, string | undefined, string]>([
    ['relative source, same directory', {}, 'file:///home/review/acme/specs/acme-erp.openapi.yaml', 'specs/acme-erp.openapi.yaml'],
    ['relative source with ./', { source: './specs/acme-erp.openapi.yaml' }, 'file:///home/review/acme/specs/acme-erp.openapi.yaml', 'specs/acme-erp.openapi.yaml'],
    ['document outside the working directory', {}, 'file:///srv/shared/common.yaml', 'file:///srv/shared/common.yaml'],
    ['path needing percent-encoding', { source: 'specs/acme erp#2.yaml' }, 'file:///home/review/acme/specs/acme%20erp%232.yaml', 'specs/acme%20erp%232.yaml'],
    ['absolute source', { source: '/home/review/acme/specs/acme-erp.openapi.yaml' }, 'file:///home/review/acme/specs/acme-erp.openapi.yaml', 'file:///home/review/acme/specs/acme-erp.openapi.yaml'],
    ['remote source', { source: 'https://api.acme.test/openapi.json' }, 'https://api.acme.test/openapi.json', 'https://api.acme.test/openapi.json'],
    ['no location: the root document', { source: 'specs/acme-erp.openapi.yaml' }, undefined, 'specs/acme-erp.openapi.yaml'],
  ])('artifact uri: %s', (_name, spec, uri, want) => {
    const report = clone(SAMPLE);
    Object.assign(report.spec, spec);
    const finding = report.findings[0]!;
    if (uri === undefined) delete finding.location;
    else finding.location = { uri, pointer: '/components/schemas/Invoice' };
    // The root document must be findable for a relative source: keep one finding pointing at it.
    if (uri !== undefined && !uri.endsWith('acme-erp.openapi.yaml') && !uri.includes('acme%20erp')) report.findings[1]!.location = { uri: 'file:///home/review/acme/specs/acme-erp.openapi.yaml', pointer: '' };
    if (spec.source?.includes('acme erp')) report.findings[1]!.location = { uri: 'file:///home/review/acme/specs/acme%20erp%232.yaml', pointer: '' };
    const log = renderDriftSarif(report);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(want);
    expectValidSarif(log);
  });

  it('fingerprints by kind, operation, status, media type and pointer, not by the evidence', () => {
    const fingerprintOf = (finding: Finding) => {
      const report = clone(SAMPLE);
      report.findings = [finding];
      return renderDriftSarif(report).runs[0]!.results[0]!.partialFingerprints[FINGERPRINT_KEY];
    };
    const base = SAMPLE.findings[2]!;
    const same = fingerprintOf(base);
    expect(same).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOf({ ...base, observed: { count: 1, total: 3, examples: ['9'] }, exchanges: [], message: 'other words' })).toBe(same);
    expect(fingerprintOf({ ...base, pointer: '/data/*/total' })).not.toBe(same);
    expect(fingerprintOf({ ...base, status: '206' })).not.toBe(same);
    expect(fingerprintOf({ ...base, operation: { ...base.operation, path: '/v2/invoices' } })).not.toBe(same);
    const all = renderDriftSarif(SAMPLE).runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('adds a region when the caller can place a pointer in the file', () => {
    const log = renderDriftSarif(SAMPLE, { regionOf: (ref) => (ref.pointer.endsWith('/amount') ? { startLine: 412, startColumn: 9 } : undefined) });
    expectValidSarif(log);
    const regions = log.runs[0]!.results.map((r) => (r.locations[0]!.physicalLocation as { region?: unknown }).region).filter(Boolean);
    expect(regions).toEqual([{ startLine: 412, startColumn: 9 }]);
  });

  it('stays valid with hostile values and no findings', async () => {
    expectValidSarif(renderDriftSarif(hostileReport()));
    const empty = renderDriftSarif(EMPTY);
    expectValidSarif(empty);
    expect(empty.runs[0]!.results).toEqual([]);
    expect(empty.runs[0]!.tool.driver.rules).toEqual([]);
    await expect(JSON.stringify(empty, null, 2) + '\n').toMatchFileSnapshot(`${SNAPSHOTS}/empty.sarif.json`);
  });
});

describe('escaping helpers', () => {
  it.each([
    ['plain', 'a', '`a`'],
    ['backtick inside', 'a`b', '``a`b``'],
    ['double backticks inside', 'a``b`', '``` a``b` ```'],
    ['leading backtick', '`a', '`` `a ``'],
    ['control characters', 'a\u001b\nb', '`a\\u001b\\nb`'],
  ])('codeSpan: %s', (_name, given, want) => {
    expect(codeSpan(given)).toBe(want);
  });

  it.each([
    ['pipe', 'a|b', 'a\\|b'],
    ['newlines', 'a\nb\r\nc', 'a b c'],
  ])('tableCell: %s', (_name, given, want) => {
    expect(tableCell(given)).toBe(want);
  });

  it.each([
    ['markup', '<a href="x">&</a>', '&lt;a href="x"&gt;&amp;&lt;/a&gt;'],
    ['CDATA end', ']]>', ']]&gt;'],
    ['illegal characters', '\u0000\u000b\uffff', '\\u0000\\u000b\\uffff'],
    ['lone surrogate', 'a\udc00b', 'a\\udc00b'],
    ['pair kept', '😀', '😀'],
    ['carriage return', 'a\r\nb', 'a&#13;\nb'],
  ])('escapeXmlText: %s', (_name, given, want) => {
    expect(escapeXmlText(given)).toBe(want);
  });

  it.each([
    ['short', 'abc', 5, 'abc'],
    ['cut', 'abcdef', 4, 'abc…'],
    ['never halves a surrogate pair', 'ab😀cd', 4, 'ab…'],
  ])('truncate: %s', (_name, given, max, want) => {
    expect(truncate(given, max)).toBe(want);
  });

  it.each<[string, unknown, string]>([
    ['string quoted', '12', '"12"'],
    ['number bare', 12, '12'],
    ['object compact', { a: [1, null] }, '{"a":[1,null]}'],
    ['C1 control escaped', 'a\u009bb', '"a\\u009bb"'],
    ['long cut', 'y'.repeat(100), `"${'y'.repeat(18)}…`],
  ])('displayValue: %s', (_name, given, want) => {
    expect(displayValue(given, 20)).toBe(want);
  });
});
