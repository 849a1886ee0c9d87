/**
 * `recon store status` and `recon store migrate [--dry-run]`, run as a user would (the built
 * bin), on a SQLite file and on PostgreSQL — and the PostgreSQL failures a user meets first
 * (wrong password, missing database, nothing listening): exit 3, a clear line, never the password.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_PG_SCHEMA_VERSION, LATEST_SCHEMA_VERSION } from '../src/runtime/store/index.js';
import { closedPort, sharedPg } from './helpers/pg.js';
import { startPrivateCluster, type PrivateCluster } from './helpers/pg-cluster.js';
import { runRecon } from './helpers/recon-cli.js';

const db = await sharedPg();
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'recon-store-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await db.dropSchemas();
});

describe('recon store on SQLite', () => {
  it('status before the first run, the dry run (nothing created), migrate, status again', async () => {
    const cwd = tempDir();
    const file = join(cwd, '.recon', 'recon.db');
    const before = await runRecon(['store', 'status'], { cwd });
    expect(before).toMatchObject({ code: 0, stderr: '' });
    expect(before.stdout).toContain('engine    sqlite');
    expect(before.stdout).toContain(`location  ${file}`);
    expect(before.stdout).toContain(`not created yet (latest ${LATEST_SCHEMA_VERSION})`);

    const dry = await runRecon(['store', 'migrate', '--dry-run'], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^BEGIN IMMEDIATE;\n/);
    expect(dry.stdout).toContain('CREATE TABLE recon_messages');
    expect(dry.stderr).toContain(`would migrate ${file} from version 0 to ${LATEST_SCHEMA_VERSION} (dry run: nothing changed)`);
    expect(existsSync(file)).toBe(false);

    const migrated = await runRecon(['store', 'migrate'], { cwd });
    expect(migrated).toMatchObject({ code: 0, stdout: `${file}: migrated from schema version 0 to ${LATEST_SCHEMA_VERSION}\n` });
    const status = await runRecon(['store', 'status', '--json'], { cwd });
    expect(JSON.parse(status.stdout)).toEqual({ engine: 'sqlite', location: file, current: LATEST_SCHEMA_VERSION, latest: LATEST_SCHEMA_VERSION, pending: [], upToDate: true });
    expect((await runRecon(['store', 'migrate'], { cwd })).stdout).toContain(`already at schema version ${LATEST_SCHEMA_VERSION}, nothing to do`);
  });

  it('help: examples and exit codes', async () => {
    const help = await runRecon(['store', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('recon store migrate --dry-run');
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('RECON_STORE');
  });

  it('a location recon does not know is exit 2', async () => {
    const run = await runRecon(['store', 'status', '--store', 'mysql://root:pw@db/x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown store kind');
    expect(run.stderr).not.toContain(':pw@');
  });
});

describe.skipIf(!db.available)(`recon store on PostgreSQL ${db.skipReason}`, () => {
  let cluster: PrivateCluster;
  const password = 'Sup3r-secret';
  beforeAll(async () => {
    cluster = await startPrivateCluster({ password });
  }, 30_000);
  afterAll(() => cluster?.stop());

  it('RECON_STORE names the store; the dry run prints the SQL and creates nothing; migrate says from which version to which', async () => {
    const location = db.freshLocation();
    const schema = db.schemaOf(location);
    const env = { RECON_STORE: location };
    const dry = await runRecon(['store', 'migrate', '--dry-run'], { env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`CREATE TABLE "${schema}".recon_audit (`);
    expect(dry.stdout).toContain('pg_advisory_xact_lock');
    expect(await db.sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([]);

    const migrated = await runRecon(['store', 'migrate'], { env });
    expect(migrated).toMatchObject({ code: 0, stdout: expect.stringContaining(`migrated from schema version 0 to ${LATEST_PG_SCHEMA_VERSION}`) });
    expect((await runRecon(['store', 'migrate', '--json'], { env })).stdout).toContain(`"from": ${LATEST_PG_SCHEMA_VERSION}`);
    const status = await runRecon(['store', 'status', '--json'], { env });
    expect(JSON.parse(status.stdout)).toMatchObject({ engine: 'postgres', schema, current: LATEST_PG_SCHEMA_VERSION, latest: LATEST_PG_SCHEMA_VERSION, pending: [], upToDate: true });
  });

  it('--store wins over RECON_STORE, and the password is shown as ***', async () => {
    const url = new URL(cluster.url);
    url.searchParams.set('schema', 'recon');
    const run = await runRecon(['store', 'status', '--store', url.toString()], { env: { RECON_STORE: 'sqlite:/nonexistent/x.db' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`location  postgres://postgres:***@127.0.0.1:${cluster.port}/postgres?schema=recon (schema recon)`);
    expect(run.stdout + run.stderr).not.toContain(password);
  });

  it('wrong password, missing database, nothing listening: exit 3, a clear line and a hint, no password, no stack', async () => {
    const wrong = cluster.url.replace(encodeURIComponent(password), 'Wr0ng-secret');
    const missing = new URL(db.url);
    missing.password = 'Sup3r-secret';
    missing.pathname = '/recon_no_such_db';
    const port = await closedPort();
    const [auth, noDb, unreachable] = await Promise.all([
      runRecon(['store', 'status', '--store', wrong]),
      runRecon(['store', 'migrate', '--store', missing.toString()]),
      runRecon(['store', 'migrate', '--dry-run', '--store', `postgres://recon:Sup3r-secret@127.0.0.1:${port}/ops`]),
    ]);
    expect(auth.code).toBe(3);
    expect(auth.stderr).toContain(`refused user "postgres"`);
    expect(auth.stderr).toContain('password');
    expect(noDb.code).toBe(3);
    expect(noDb.stderr).toContain('has no database "recon_no_such_db"');
    expect(noDb.stderr).toContain(`createdb -h ${missing.hostname}`);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(`nothing answered as PostgreSQL at 127.0.0.1:${port}`);
    for (const run of [auth, noDb, unreachable]) {
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('Sup3r-secret');
      expect(run.stderr).not.toContain('Wr0ng-secret');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  }, 20_000);
});
