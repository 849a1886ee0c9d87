/**
 * `recon store`: the store's schema — where it stands (`status`) and bringing it up to date
 * (`migrate`, or `migrate --dry-run` to read the SQL first, e.g. for a DBA to review). Every
 * recon command migrates the store it opens by itself; this is for doing it on purpose, once,
 * before a fleet of workers starts, or where the workers' database user may not create tables.
 */
import type { Command } from 'commander';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';
import { STORE_FLAG_HELP, storeLocationFrom } from './store-flag.js';
import type { StoreSchemaStatus } from '../runtime/store/index.js';

interface StoreFlags {
  store?: string;
  json?: boolean;
  dryRun?: boolean;
}

export function registerStoreCommand(program: Command, output: Output): void {
  const store = program
    .command('store')
    .summary("the store's schema: status, migrate (--dry-run prints the SQL)")
    .description(
      'The store holds the queue, the idempotency ledger, the audit log and shared state: a SQLite file ' +
        '(one machine) or a PostgreSQL schema (workers on many machines). recon creates and migrates it ' +
        'when a command first opens it; these commands show where its schema stands and migrate it on purpose.',
    )
    .addHelpText(
      'after',
      examples([
        ['recon store status', 'engine, location, schema version and pending migrations'],
        ['recon store status --store postgres://recon@db/ops?schema=recon --json', 'the same as JSON'],
        ['recon store migrate --dry-run --store postgres://recon@db/ops', 'print the SQL a migration would run; change nothing'],
        ['RECON_STORE=postgres://recon@db/ops recon store migrate', 'create or update the tables before starting workers'],
      ]) +
        '\nThe store is --store, else $RECON_STORE, else .recon/recon.db beside recon.yaml (found here or in a parent folder).\n' +
        'A password in a postgres:// location is never printed.\n' +
        EXIT_CODES_HELP +
        '\n  3 also when the database is unreachable, refuses the password, does not exist, or was migrated by a newer recon.',
    );

  store
    .command('status')
    .description('engine, location (password hidden), schema version against the latest this recon knows, pending migrations')
    .option('--store <location>', STORE_FLAG_HELP)
    .option('--json', 'print one JSON document')
    .action(async (flags: StoreFlags) => {
      const { storeSchemaStatus } = await import('../runtime/store/index.js');
      const status = await storeSchemaStatus(await locationOf(flags, output), { cwd: output.cwd });
      if (flags.json) {
        const { sql: _sql, ...rest } = status;
        return output.json({ ...rest, upToDate: status.current === status.latest });
      }
      for (const line of describeStatus(status)) output.out(line);
    });

  store
    .command('migrate')
    .description('create the store or bring its schema to the latest version (--dry-run: print the SQL, change nothing)')
    .option('--store <location>', STORE_FLAG_HELP)
    .option('--dry-run', 'print the SQL that would run and change nothing')
    .option('--json', 'print one JSON document')
    .action(async (flags: StoreFlags) => {
      const { migrateStore, storeSchemaStatus, StoreUnavailableError } = await import('../runtime/store/index.js');
      const location = await locationOf(flags, output);
      if (flags.dryRun) {
        const status = await storeSchemaStatus(location, { cwd: output.cwd });
        if (status.current > status.latest) throw tooNew(StoreUnavailableError, status);
        if (flags.json) return output.json({ dryRun: true, engine: status.engine, location: status.location, from: status.current, to: status.latest, pending: status.pending, sql: status.sql });
        if (status.sql === '') return output.err(`recon: ${status.location} is at schema version ${status.current}, the latest: nothing to run`);
        output.err(`recon: would migrate ${status.location} from version ${status.current} to ${status.latest} (dry run: nothing changed)`);
        output.out(status.sql);
        return;
      }
      const result = await migrateStore(location, { cwd: output.cwd });
      if (flags.json) return output.json(result);
      output.out(result.from === result.to
        ? `${result.location}: already at schema version ${result.to}, nothing to do`
        : `${result.location}: migrated from schema version ${result.from} to ${result.to}`);
    });
}

async function locationOf(flags: StoreFlags, output: Output): Promise<string> {
  return storeLocationFrom(flags.store, output.env, async () => {
    const { defaultStoreLocation } = await import('../runtime/index.js');
    return defaultStoreLocation(output.cwd);
  });
}

function describeStatus(status: StoreSchemaStatus): string[] {
  const lines = [
    `engine    ${status.engine}`,
    `location  ${status.location}${status.schema === undefined ? '' : ` (schema ${status.schema})`}`,
  ];
  if (status.current > status.latest) {
    lines.push(`schema    version ${status.current}: newer than this recon knows (${status.latest}); upgrade recon`);
  } else if (status.current === 0) {
    lines.push(`schema    not created yet (latest ${status.latest}); the first command that opens it creates it, or run recon store migrate`);
  } else {
    lines.push(`schema    version ${status.current} of ${status.latest}${status.current === status.latest ? ', up to date' : ''}`);
  }
  if (status.pending.length > 0) {
    lines.push(`pending   ${status.pending.length} migration${status.pending.length === 1 ? '' : 's'} (recon store migrate --dry-run shows the SQL):`);
    for (const m of status.pending) lines.push(`  ${m.version}  ${m.description}`);
  }
  return lines;
}

function tooNew(
  StoreUnavailableError: typeof import('../runtime/store/index.js').StoreUnavailableError,
  status: StoreSchemaStatus,
): Error {
  return new StoreUnavailableError('RECON_STORE_TOO_NEW', status.location, `${status.location} is at store schema version ${status.current}, written by a newer recon (this one knows up to ${status.latest})`, {
    hint: 'Upgrade recon; an older recon never migrates a store backwards.',
  });
}
