/**
 * The drift report as JUnit XML, for CI test reports (GitLab merge-request widget, Jenkins JUnit
 * plugin, GitHub test-report actions). One <testsuite> per operation, one <testcase> per
 * (operation, status).
 *
 * Convention (JUnit XML as Ant/Surefire write it, which those tools parse):
 * - A testcase fails (<failure>) only for error findings: the document is contradicted. Every
 *   error goes into one <failure>, listed in its body, because Jenkins and GitLab read only the
 *   first <failure> of a testcase and would drop the rest.
 * - Warnings and info go to <system-out>. No reporter has a "warning" state: `<failure
 *   type="warning">` turns the build red for what recon itself does not fail on by default, and
 *   GitHub code scanning likewise only fails on SARIF `error`. The text is still in the test's
 *   output, and the SARIF and Markdown reports show warnings as warnings.
 * - A status that is documented but never observed is <skipped>: that check could not run, which
 *   is exactly what "skipped" means to every reporter.
 * - `classname` has its dots replaced: Jenkins splits it at dots into package and class.
 */
import type { DriftReport, Finding } from '../types.js';
import { escapeControls, truncate } from './display-value.js';
import { documentPathResolver, type DocumentPath } from './document-path.js';
import { findingLines } from './finding-lines.js';
import { groupByOperation, plural } from './operations.js';
import { escapeXmlText, openTag } from './xml-escape.js';
import { findingWhere } from './where.js';

const MESSAGE_WIDTH = 200;

interface TestCase {
  name: string;
  findings: Finding[];
}

/**
 * Render the report as JUnit XML (UTF-8, XML 1.0).
 *
 * @example
 * await writeFile('drift.junit.xml', renderDriftJUnit(report));
 */
export function renderDriftJUnit(report: DriftReport): string {
  const documentPath = documentPathResolver(report);
  const groups = groupByOperation(report.findings);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;

  for (const group of groups) {
    const cases = testCases(group.findings);
    const caseXml = cases.map((c) => renderTestCase(report, group.label, c, documentPath));
    const suiteFailures = cases.filter(isFailure).length;
    const suiteSkipped = cases.filter(isSkipped).length;
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    const name = group.operation.operationId === undefined ? group.label : `${group.label} (${group.operation.operationId})`;
    suites.push(
      `  ${openTag('testsuite', { name, tests: cases.length, failures: suiteFailures, errors: 0, skipped: suiteSkipped, time: 0 })}`,
      ...caseXml,
      '  </testsuite>',
    );
  }

  if (groups.length === 0) {
    // No findings: one passing test, so CI shows a result instead of "no tests found".
    tests = 1;
    suites.push(
      `  ${openTag('testsuite', { name: 'drift', tests: 1, failures: 0, errors: 0, skipped: 0, time: 0 })}`,
      `    ${openTag('testcase', { classname: 'drift', name: 'recordings match the document', time: 0 }, true)}`,
      '  </testsuite>',
    );
  }

  const title = `recon drift: ${report.spec.title} ${report.spec.version}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    openTag('testsuites', { name: title, tests, failures, errors: 0, skipped, time: 0 }),
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** One testcase per status, in the order the (worst-first) findings name them. */
function testCases(findings: Finding[]): TestCase[] {
  const cases = new Map<string, TestCase>();
  for (const finding of findings) {
    const name = finding.status === undefined ? 'operation' : `status ${finding.status}`;
    const testCase = cases.get(name) ?? { name, findings: [] };
    testCase.findings.push(finding);
    cases.set(name, testCase);
  }
  return [...cases.values()];
}

function isFailure(testCase: TestCase): boolean {
  return testCase.findings.some((f) => f.severity === 'error');
}

function isSkipped(testCase: TestCase): boolean {
  return !isFailure(testCase) && testCase.findings.every((f) => f.kind === 'never-observed');
}

function renderTestCase(report: DriftReport, label: string, testCase: TestCase, documentPath: (uri: string | undefined) => DocumentPath): string {
  const errors = testCase.findings.filter((f) => f.severity === 'error');
  const others = testCase.findings.filter((f) => f.severity !== 'error');
  const body: string[] = [];
  if (errors.length > 0) {
    const message = errors.length === 1 ? errors[0]!.message : `${plural(errors.length, 'error')}: ${errors.map((f) => `${f.kind} at ${findingWhere(f)}`).join('; ')}`;
    const text = errors.map((f) => findingLines(report, f, documentPath).join('\n')).join('\n\n');
    body.push(`      ${openTag('failure', { type: errors[0]!.kind, message: truncate(escapeControls(message), MESSAGE_WIDTH) })}${escapeXmlText(text)}</failure>`);
  } else if (isSkipped(testCase)) {
    body.push(`      ${openTag('skipped', { message: 'documented, never observed in the recordings (unverified)' }, true)}`);
  }
  if (others.length > 0) {
    const text = others.map((f) => findingLines(report, f, documentPath).join('\n')).join('\n\n');
    body.push(`      <system-out>${escapeXmlText(text)}</system-out>`);
  }
  const attributes = { classname: label.replace(/\./g, '_'), name: testCase.name, time: 0 };
  if (body.length === 0) return `    ${openTag('testcase', attributes, true)}`;
  return [`    ${openTag('testcase', attributes)}`, ...body, '    </testcase>'].join('\n');
}
