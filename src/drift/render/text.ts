/**
 * The terminal summary of a drift report: operations worst first, one entry per finding, the
 * skip reasons, and a closing total. Colour comes in as a chalk instance (as `Output.color` in
 * src/cli/output.ts), so the CLI decides about NO_COLOR/FORCE_COLOR and tests pass none.
 */
import type { DriftReport, Finding, Severity } from '../types.js';
import { escapeControls, truncate, truncatePath } from './display-value.js';
import { groupByOperation, operationLabel, plural, severityCounts } from './operations.js';
import { exampleValues, findingSeen, findingWhere } from './where.js';

type Paint = (text: string) => string;

/** The styles the text report uses; a chalk instance has them all. */
export interface DriftTextColors {
  bold: Paint;
  dim: Paint;
  red: Paint;
  yellow: Paint;
  blue: Paint;
}

export interface DriftTextOptions {
  /** Default: no colour. */
  color?: DriftTextColors;
  /** Column budget; default 100. */
  width?: number;
}

const plain: Paint = (text) => text;
const NO_COLOR: DriftTextColors = { bold: plain, dim: plain, red: plain, yellow: plain, blue: plain };
const MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: '○' };
const EXAMPLES_SHOWN = 2;
const EXAMPLE_WIDTH = 32;
const DETAIL_INDENT = '      ';

/**
 * Render the report for a terminal. Each finding takes a head line (mark, kind, where, how
 * often) and a detail line (the message and a short example), wrapped at `width`: a message
 * alone is often 80 characters, so one line per finding would not stay readable at 100 columns.
 *
 * @example
 * import { createOutput } from '../../cli/output.js';
 * const output = createOutput();
 * output.out(renderDriftText(report, { color: output.color }));
 */
export function renderDriftText(report: DriftReport, options: DriftTextOptions = {}): string {
  const c = options.color ?? NO_COLOR;
  const width = options.width ?? 100;
  const lines: string[] = [];
  const paint = severityPaint(c);

  // Names from the document and the file system are cut so that fixed text keeps its columns.
  const title = truncate(`${safe(report.spec.title)} ${safe(report.spec.version)}`, Math.floor(width / 2));
  lines.push(`${c.bold('Drift')} ${title}  ${c.dim(truncatePath(safe(report.spec.source), width - title.length - 8))}`);
  const fileWidth = Math.min(Math.max(0, ...report.recordings.map((r) => safe(r.file).length)), width - 48);
  for (const recording of report.recordings) {
    lines.push(`  ${truncatePath(safe(recording.file), fileWidth).padEnd(fileWidth)}  ${c.dim(`${plural(recording.exchanges, 'exchange')}, ${recording.checked} checked, ${recording.skipped} skipped`)}`);
  }

  const groups = groupByOperation(report.findings);
  if (groups.length === 0) lines.push('', '  no findings: the recordings match the document');
  for (const group of groups) {
    const counts = severityCounts(group.counts);
    const label = truncate(safe(group.label), width - counts.length - 2);
    const operationId = group.operation.operationId === undefined ? '' : truncate(safe(group.operation.operationId), width - label.length - counts.length - 6);
    const id = operationId === '' ? '' : `  ${c.dim(operationId)}`;
    lines.push('', `${c.bold(label)}${id}  ${c.dim(counts)}`);
    const columns = columnsOf(group.findings, () => '', width);
    for (const finding of group.findings) lines.push(...renderFinding(finding, c, paint, width, columns));
  }

  if (report.profile && report.profile.length > 0) {
    lines.push('', `${c.bold('Data profile')}  ${c.dim('facts about the data, not the document')}`);
    const prefix = (f: Finding) => `${operationLabel(f.operation)} `;
    const columns = columnsOf(report.profile, prefix, width);
    for (const finding of report.profile) lines.push(...renderFinding(finding, c, paint, width, columns, prefix(finding)));
  }

  if (report.skipped.length > 0) {
    lines.push('', `${c.bold('Skipped')}  ${c.dim(`${plural(report.summary.skipped, 'exchange')} not checked`)}`);
    const countWidth = Math.max(...report.skipped.map((s) => String(s.count).length));
    for (const skip of report.skipped) {
      lines.push(`  ${String(skip.count).padStart(countWidth)}  ${truncate(safe(skip.reason), width - countWidth - 4)}`);
    }
  }

  const { summary } = report;
  lines.push(
    '',
    `${paintCounts(summary.findings, c)} in ${plural(summary.exchanges, 'exchange')} (${summary.skipped} skipped) across ${plural(summary.operationsObserved, 'operation')}`,
  );
  return lines.join('\n') + '\n';
}

interface Columns {
  kind: number;
  where: number;
}

/** Kind and where padded to the widest in the block, so the counts line up. */
function columnsOf(findings: readonly Finding[], prefix: (f: Finding) => string, width: number): Columns {
  const kind = Math.max(0, ...findings.map((f) => f.kind.length));
  const where = Math.min(Math.max(0, ...findings.map((f) => safe(prefix(f) + findingWhere(f)).length)), width - kind - 20);
  return { kind, where };
}

function renderFinding(finding: Finding, c: DriftTextColors, paint: Record<Severity, Paint>, width: number, columns: Columns, prefix = ''): string[] {
  const where = truncate(safe(prefix + findingWhere(finding)), columns.where).padEnd(columns.where);
  const head = `  ${paint[finding.severity](MARKS[finding.severity])} ${finding.kind.padEnd(columns.kind)}  ${where}  ${c.dim(findingSeen(finding))}`;
  const lines = wrap(safe(finding.message), width - DETAIL_INDENT.length);
  const examples = exampleValues(finding, EXAMPLES_SHOWN, EXAMPLE_WIDTH);
  if (examples.length > 0) {
    const example = `e.g. ${examples.join(', ')}`;
    const last = lines.length - 1;
    // On the message's last line when it fits there, else on a line of its own.
    if (last >= 0 && lines[last]!.length + 2 + example.length <= width - DETAIL_INDENT.length) lines[last] += `  ${c.dim(example)}`;
    else lines.push(c.dim(truncate(example, width - DETAIL_INDENT.length)));
  }
  return [head.trimEnd(), ...lines.map((line) => DETAIL_INDENT + line)];
}

/** Greedy word wrap; a word longer than the line is cut, not allowed to overflow. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word.length <= width ? word : truncate(word, width);
  }
  if (line !== '') lines.push(line);
  return lines;
}

function severityPaint(c: DriftTextColors): Record<Severity, Paint> {
  return { error: c.red, warning: c.yellow, info: c.blue };
}

function paintCounts(counts: Record<Severity, number>, c: DriftTextColors): string {
  const [errors = '', warnings = '', info = ''] = severityCounts(counts).split(', ');
  return [counts.error > 0 ? c.red(errors) : errors, counts.warning > 0 ? c.yellow(warnings) : warnings, info].join(', ');
}

/** Everything from the report passes here: vendor data may carry terminal escape sequences. */
function safe(text: string): string {
  return escapeControls(text);
}
