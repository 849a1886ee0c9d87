/**
 * A spec diff for people: text for the terminal, Markdown for a pull request or a ticket.
 * Reads the diff; decides nothing. Changes are grouped by operation, operations with breaking
 * changes first, breaking changes first within each.
 */
import type { SpecChange, SpecDiff } from './types.js';

/** The colours the text renderer uses; a chalk instance fits, and so does identity. */
export interface DiffColors {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const PLAIN: DiffColors = { red: (t) => t, green: (t) => t, yellow: (t) => t, bold: (t) => t, dim: (t) => t };

interface Group {
  title: string;
  changes: SpecChange[];
  breaking: number;
}

/**
 * @example
 * process.stdout.write(renderSpecDiffText(diff, new Chalk({ level: 1 })));
 */
export function renderSpecDiffText(diff: SpecDiff, c: DiffColors = PLAIN): string {
  const lines: string[] = [];
  lines.push(`${c.bold(diff.old.title)} ${c.dim(diff.old.version)} → ${c.bold(diff.new.title)} ${c.dim(diff.new.version)}`);
  lines.push(c.dim(`old  ${diff.old.source}  (${versionName(diff.old.specVersion)})`));
  lines.push(c.dim(`new  ${diff.new.source}  (${versionName(diff.new.specVersion)})`));
  lines.push('');
  if (diff.changes.length === 0) {
    lines.push(c.green('no changes a client would notice'));
    return lines.join('\n') + '\n';
  }
  const width = Math.max(...diff.changes.map((change) => change.kind.length));
  for (const group of groups(diff.changes)) {
    lines.push(c.bold(group.title));
    for (const change of group.changes) {
      const mark = change.breaking ? c.red('breaking') : c.green('ok      ');
      lines.push(`  ${mark}  ${c.dim(change.kind.padEnd(width))}  ${change.message}`);
      if (change.breaking) lines.push(`  ${' '.repeat(8)}  ${' '.repeat(width)}  ${c.dim(`${change.why} · ${locationOf(change)}`)}`);
    }
    lines.push('');
  }
  lines.push(summaryLine(diff, c));
  return lines.join('\n') + '\n';
}

/**
 * @example
 * writeFileSync('api-changes.md', renderSpecDiffMarkdown(diff));
 */
export function renderSpecDiffMarkdown(diff: SpecDiff): string {
  const lines: string[] = [];
  lines.push(`# API changes: ${md(diff.old.title)} ${md(diff.old.version)} → ${md(diff.new.version)}`);
  lines.push('');
  lines.push(`Old: \`${diff.old.source}\` · New: \`${diff.new.source}\``);
  lines.push('');
  lines.push(`**${diff.summary.breaking} breaking**, ${diff.summary.nonBreaking} non-breaking.`);
  for (const group of groups(diff.changes)) {
    lines.push('');
    lines.push(`## ${md(group.title)}`);
    lines.push('');
    lines.push('| | Kind | Change | Why | Where |');
    lines.push('|---|---|---|---|---|');
    for (const change of group.changes) {
      const mark = change.breaking ? '**breaking**' : 'ok';
      lines.push(`| ${mark} | \`${change.kind}\` | ${md(change.message)} | ${md(change.why)} | \`${md(locationOf(change))}\` |`);
    }
  }
  return lines.join('\n') + '\n';
}

function groups(changes: SpecChange[]): Group[] {
  const byTitle = new Map<string, Group>();
  for (const change of changes) {
    const op = change.operation;
    const title = op ? `${op.method} ${op.path}${op.operationId ? ` (${op.operationId})` : ''}` : 'Whole document';
    let group = byTitle.get(title);
    if (!group) byTitle.set(title, (group = { title, changes: [], breaking: 0 }));
    group.changes.push(change);
    if (change.breaking) group.breaking++;
  }
  const list = [...byTitle.values()];
  for (const group of list) group.changes.sort((a, b) => Number(b.breaking) - Number(a.breaking));
  // Array.prototype.sort is stable: within "has breaking" / "has none", the diff's order stays.
  return list.sort((a, b) => Number(b.breaking > 0) - Number(a.breaking > 0));
}

function summaryLine(diff: SpecDiff, c: DiffColors): string {
  const { breaking, nonBreaking } = diff.summary;
  const first = `${breaking} breaking change${breaking === 1 ? '' : 's'}`;
  return `${breaking > 0 ? c.red(c.bold(first)) : c.green(first)}, ${nonBreaking} non-breaking`;
}

function locationOf(change: SpecChange): string {
  return `${change.location.in}: ${change.location.source}#${change.location.pointer}`;
}

function versionName(specVersion: string): string {
  return specVersion === '2.0' ? 'Swagger 2.0' : `OpenAPI ${specVersion}`;
}

/** Table cells: pipes and newlines would end the cell or the row. */
function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
