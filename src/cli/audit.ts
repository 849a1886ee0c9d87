/**
 * `recon audit`: the hash-chained record of every call the runtime made — query it, verify that
 * nothing was edited or deleted, export it, and prune old records without breaking the chain.
 */
import { Option, type Command } from 'commander';
import { ExitCode } from '../errors.js';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import { writeOutFile } from './out-file.js';
import type { Output } from './output.js';
import { table, withStore } from './queue.js';
import { STORE_FLAG_HELP } from './store-flag.js';
import type { AuditQuery, AuditRecord } from '../runtime/index.js';

type Format = 'table' | 'json' | 'csv';

interface QueryFlags {
  connector?: string;
  message?: string;
  operation?: string;
  status?: number;
  since?: string;
  until?: string;
  limit?: number;
  format: Format;
  json?: boolean;
  store?: string;
  out?: string;
}

/** The columns of the table and CSV forms; JSON and export carry the whole record. */
const COLUMNS = ['seq', 'at', 'connector', 'messageId', 'attempt', 'operation', 'method', 'url', 'status', 'durationMs', 'outcome', 'errorClass', 'idempotencyKey'] as const;

export function registerAuditCommand(program: Command, output: Output): void {
  const audit = program
    .command('audit')
    .summary('the audit log of every call: query, verify, export, prune')
    .description(
      'One record per call recon run made: when, connector, message, operation, method, URL, request and ' +
        'response headers and bodies (redacted, size-capped), status, duration, attempt, idempotency key, ' +
        'outcome and error class. Each record holds the hash of the one before, so verify detects any record ' +
        'edited or deleted.',
    )
    .addHelpText(
      'after',
      examples([
        ['recon audit query --message INV-1042', 'every call made for one message'],
        ['recon audit query --connector push-invoices --since 2026-01-01 --until 2026-02-01 --format csv > jan.csv', 'a month, for a spreadsheet'],
        ['recon audit query --status 422 --json', 'every refusal, as JSON'],
        ['recon audit verify', 'exit 1, naming the record, when the chain is broken'],
        ['recon audit export --out audit.ndjson', 'everything, one JSON record per line'],
        ['recon audit prune --before 2025-01-01', 'drop old records; the rest still verifies'],
      ]) +
        '\nThe store is --store, else $RECON_STORE, else .recon/recon.db beside recon.yaml (found here or in a parent folder).\n' +
        EXIT_CODES_HELP +
        '\n  audit verify exits 1 when a record was edited or deleted.',
    );
  const store = (command: Command) => command.option('--store <location>', STORE_FLAG_HELP);
  const filters = (command: Command) =>
    store(command)
      .option('--connector <name>', 'only this connector')
      .option('--message <id>', 'only this message id')
      .option('--operation <operation>', 'only this operation (operationId or "METHOD /path")')
      .addOption(new Option('--status <code>', 'only responses with this HTTP status').argParser(integerFlag(100, 599)))
      .option('--since <date>', 'from this ISO date or date-time, inclusive (2026-01-01)')
      .option('--until <date>', 'before this ISO date or date-time, exclusive')
      .addOption(new Option('--limit <n>', 'at most this many records').argParser(integerFlag(1, 100_000_000)));

  filters(audit.command('query').description('records matching the filters, oldest first'))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--json', 'same as --format json')
    .action(async (flags: QueryFlags) =>
      withStore(flags, output, async (s) => {
        const records = await s.queryAudit(queryOf(flags));
        const format: Format = flags.json ? 'json' : flags.format;
        if (format === 'json') return output.json(records);
        if (format === 'csv') {
          output.out(COLUMNS.join(','));
          for (const r of records) output.out(COLUMNS.map((c) => csvCell(r[c])).join(','));
          return;
        }
        if (records.length === 0) return output.out('no audit records match');
        output.out(table(['#', 'at', 'connector', 'message', 'try', 'call', 'status', 'ms', 'outcome'], records.map((r) => [
          String(r.seq), r.at, r.connector, r.messageId, String(r.attempt), `${r.method} ${r.url}`.trim(), String(r.status ?? r.errorClass ?? '-'), String(r.durationMs), r.outcome,
        ])));
      }),
    );

  store(audit.command('verify').description('check the hash chain: exit 1, naming the first bad record, when one was edited or deleted'))
    .option('--json', 'print the verification as one JSON document')
    .action(async (flags: { store?: string; json?: boolean }) =>
      withStore(flags, output, async (s) => {
        const result = await s.verifyAudit();
        if (flags.json) output.json(result);
        else if (result.ok) output.out(`audit log intact: ${result.records} record${result.records === 1 ? '' : 's'}, hash chain verified`);
        if (!result.ok) {
          output.err(`recon: audit log broken at record #${result.brokenAt?.seq ?? '?'}: ${result.brokenAt?.reason ?? 'unknown reason'}`);
          output.exitCode = ExitCode.findings;
        }
      }),
    );

  filters(audit.command('export').description('records as NDJSON (one JSON record per line, hashes included), to stdout or --out'))
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (flags: QueryFlags) =>
      withStore(flags, output, async (s) => {
        const records = await s.queryAudit(queryOf(flags));
        if (flags.out === undefined) {
          for (const r of records) output.out(JSON.stringify(r));
          return;
        }
        // Owner-only: the records hold what was sent and answered (redacted, but still business data).
        await writeOutFile(flags.out, ndjsonChunks(records), { cwd: output.cwd, mode: 0o600 });
        output.err(`recon: ${records.length} record${records.length === 1 ? '' : 's'} written to ${flags.out}`);
      }),
    );

  store(audit.command('prune').description('delete records before a date, keeping a checkpoint so the rest still verifies'))
    .requiredOption('--before <date>', 'delete records sent before this ISO date or date-time')
    .option('--json', 'print the result as one JSON document')
    .action(async (flags: { store?: string; before: string; json?: boolean }) =>
      withStore(flags, output, async (s) => {
        const pruned = await s.pruneAudit(flags.before);
        if (flags.json) return output.json({ pruned, before: flags.before });
        output.out(`${pruned} record${pruned === 1 ? '' : 's'} before ${flags.before} deleted; the rest still verifies (recon audit verify)`);
      }),
    );
}

function queryOf(flags: QueryFlags): AuditQuery {
  const query: AuditQuery = {};
  if (flags.connector !== undefined) query.connector = flags.connector;
  if (flags.message !== undefined) query.messageId = flags.message;
  if (flags.operation !== undefined) query.operation = flags.operation;
  if (flags.status !== undefined) query.status = flags.status;
  if (flags.since !== undefined) query.since = flags.since;
  if (flags.until !== undefined) query.until = flags.until;
  if (flags.limit !== undefined) query.limit = flags.limit;
  return query;
}

/** RFC 4180: quote a cell holding a comma, quote or line break; double the quotes. */
function csvCell(value: AuditRecord[keyof AuditRecord]): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** NDJSON in chunks of 1,000 records: few writes, bounded strings. */
function* ndjsonChunks(records: unknown[]): Iterable<string> {
  for (let i = 0; i < records.length; i += 1000) yield records.slice(i, i + 1000).map((r) => JSON.stringify(r) + '\n').join('');
}
