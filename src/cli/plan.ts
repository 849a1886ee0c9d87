/**
 * `recon plan`: how long a batch of calls takes at a rate limit, whether it fits a deadline or
 * the allowed windows, and what would make it fit.
 */
import { relative } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { THROTTLE_DEFAULTS } from '../limits/throttle.js';
import {
  describePlan,
  DURATION_FORMS,
  findBulkOperations,
  LIMIT_FORMS,
  parseDuration,
  parseRateLimit,
  parseWindow,
  planBatch,
  readLimitsFile,
  WINDOW_FORMS,
  type AllowedWindow,
  type RateLimit,
} from '../limits/plan/index.js';
import { numberFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';

interface PlanFlags {
  calls: number;
  limit?: RateLimit;
  from?: string;
  deadline?: string;
  window?: AllowedWindow[];
  start?: string;
  safety: number;
  spec?: string;
  json?: boolean;
}

export function registerPlanCommand(program: Command, output: Output): void {
  program
    .command('plan')
    .summary('how long a batch of calls takes at a rate limit, and whether it fits a deadline or windows')
    .description(
      'Plan a batch: the time it takes at the rate limit (sent through recon\'s throttle, which keeps a ' +
        'safety margin below the limit), the finish date-time from --start, how many allowed windows and ' +
        'calendar days it spans, whether it fits the deadline, and what would make it fit — a higher limit, ' +
        'more runs or windows, or the bulk endpoints of the vendor\'s document (--spec). The limit comes from ' +
        '--limit, or from what `recon limits` measured (--from).',
    )
    .requiredOption('--calls <n>', 'calls in the batch (50000, 50_000 or 50,000)', callsFlag)
    .option('--limit <rate>', `the vendor's rate limit: ${LIMIT_FORMS}`, flag(parseRateLimit, LIMIT_FORMS))
    .option('--from <dir-or-file>', 'read the limit from `recon limits` output (a limits.json, or a directory holding one)')
    .option('--deadline <when>', `finish within a duration (${DURATION_FORMS}) or by an ISO date-time`)
    .option('--window <when>', `when sending is allowed, repeatable: ${WINDOW_FORMS}`, windowFlag)
    .option('--start <date-time>', 'when the batch starts, ISO 8601 (default: now); its UTC offset is the one windows are read in')
    .option('--safety <share>', 'share of the limit the throttle uses, leaving room for other clients of the same quota', numberFlag(0.1, 1), THROTTLE_DEFAULTS.safetyMargin)
    .option('--spec <file-or-url>', "the vendor's API document, to point at its bulk or batch endpoints")
    .option('--json', 'print the plan as one JSON document')
    .addHelpText(
      'after',
      examples([
        ['recon plan --calls 50000 --limit 100/min', 'how long 50,000 calls take at 100 per minute'],
        ['recon plan --calls 50000 --limit 100/min --deadline 8h', 'does it fit one working day? if not, what would'],
        ['recon plan --calls 100000 --limit 100/min --window "Mon-Fri 18:00-06:00"', 'weeknights only, starting now'],
        ['recon plan --calls 200000 --from review --window "Sat,Sun 00:00-24:00"', 'weekends, at the limit recon limits measured'],
        ['recon plan --calls 9000 --limit 5/s --start 2026-12-04T18:00+01:00', 'from a given time (windows read at its offset)'],
        ['recon plan --calls 50000 --limit "100 per 60s" --spec vendor.yaml --json', 'as JSON, with the bulk endpoints of the document'],
      ]) +
        '\nWindows belong to the day they open on: Friday\'s "18:00-06:00" runs into Saturday morning.' +
        '\nTimes are read at the UTC offset of --start (default: this machine\'s); daylight-saving changes during a batch are not followed.\n' +
        EXIT_CODES_HELP,
    )
    .action(async (flags: PlanFlags) => {
      if ((flags.limit === undefined) === (flags.from === undefined)) {
        throw new UsageError(flags.limit === undefined ? 'give the rate limit: --limit 100/min or --from review/limits.json' : 'give either --limit or --from, not both', {
          code: 'RECON_PLAN_LIMIT_SOURCE',
          hint: `--limit takes ${LIMIT_FORMS}`,
        });
      }
      const { start, offset } = parseStart(flags.start);
      const fromFile = flags.from === undefined ? undefined : await readLimitsFile(flags.from, output.cwd);
      const limit = flags.limit ?? fromFile!;
      let bulkOperations: string[] | undefined;
      if (flags.spec !== undefined) {
        const { loadSpec } = await import('../spec/index.js');
        bulkOperations = findBulkOperations((await loadSpec(flags.spec, { cwd: output.cwd })).operations);
      }
      const plan = planBatch({
        calls: flags.calls,
        limit: { requests: limit.requests, windowSeconds: limit.windowSeconds },
        ...(fromFile ? { limitSource: `${fromFile.source}, from ${relative(output.cwd, fromFile.file) || fromFile.file}` } : {}),
        safetyMargin: flags.safety,
        start,
        utcOffsetMinutes: offset,
        ...(flags.deadline !== undefined ? { deadline: parseDeadline(flags.deadline) } : {}),
        ...(flags.window ? { windows: flags.window } : {}),
        ...(bulkOperations ? { bulkOperations } : {}),
      });
      if (flags.json) output.json(plan);
      else for (const line of describePlan(plan)) output.out(line);
    });
}

/** A library parser as a commander argument parser: commander names the flag, we name the forms. */
function flag<T>(parse: (text: string) => T, forms: string): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      // Keep the parser's reason ("times run from 00:00 to 24:00") when it gives one.
      const reason = error instanceof UsageError ? error.message.split('": ').slice(1).join('": ') : '';
      throw new InvalidArgumentError(reason || `expected ${forms}`);
    }
  };
}

function callsFlag(value: string): number {
  const digits = value.trim().replace(/[_,]/g, '');
  if (!/^\d+$/.test(digits) || Number(digits) < 1 || Number(digits) > 1e12) throw new InvalidArgumentError('expected a whole number of calls, at least 1 (50000, 50_000 or 50,000)');
  return Number(digits);
}

function windowFlag(value: string, previous: AllowedWindow[] = []): AllowedWindow[] {
  return [...previous, flag(parseWindow, WINDOW_FORMS)(value)];
}

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/** An ISO 8601 date-time; without an offset it is this machine's local time. */
function parseDateTime(text: string, name: string): { at: Date; offset: number } {
  const m = ISO_DATE_TIME.exec(text.trim());
  const at = m ? new Date(`${m[1]}T${m[2]}${m[3] ?? ''}`) : undefined;
  if (!m || at === undefined || Number.isNaN(at.getTime())) {
    throw new UsageError(`${name} "${text}" is not an ISO 8601 date-time; expected e.g. 2026-12-04T18:00+01:00 or 2026-12-04 18:00`, { code: 'RECON_PLAN_BAD_DATE' });
  }
  const zone = m[3];
  if (zone === undefined) return { at, offset: -at.getTimezoneOffset() };
  if (zone.toUpperCase() === 'Z') return { at, offset: 0 };
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return { at, offset: digits.startsWith('-') ? -minutes : minutes };
}

function parseStart(text: string | undefined): { start: Date; offset: number } {
  if (text === undefined) {
    const now = new Date();
    return { start: now, offset: -now.getTimezoneOffset() };
  }
  const { at, offset } = parseDateTime(text, '--start');
  return { start: at, offset };
}

function parseDeadline(text: string): { seconds: number } | { at: Date } {
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return { at: parseDateTime(text, '--deadline').at };
  try {
    return { seconds: parseDuration(text) };
  } catch {
    throw new UsageError(`--deadline "${text}" is neither a duration (${DURATION_FORMS}) nor an ISO date-time (2026-12-05T06:00+01:00)`, { code: 'RECON_PLAN_BAD_DEADLINE' });
  }
}
