/**
 * The PostgreSQL store's tables, as numbered migrations recorded in `<schema>.recon_schema_version`.
 * All pending migrations run in one transaction under a transaction-level advisory lock keyed on
 * the schema name, so any number of workers starting at once against a new database end up with
 * one set of tables: the first creates them, the others wait for its commit and find nothing to do.
 * A schema written by a newer recon is refused rather than guessed at. Column meanings are
 * documented for dashboard builders in the README ("The PostgreSQL tables").
 */
import type pg from 'pg';
import { StoreUnavailableError } from './errors.js';
import type { PgLocation } from './pg-location.js';

export interface PgMigration {
  version: number;
  description: string;
  /** SQL for the schema `s` (a quoted identifier). */
  sql: (s: string) => string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'queue, audit log with hash chain, named state',
    sql: (s) => `
CREATE TABLE ${s}.recon_messages (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- insertion order: "oldest first" among equal enqueued_at
  connector text NOT NULL,
  id text NOT NULL,
  payload text NOT NULL,                                -- the input record, JSON (payload::jsonb to query it)
  state text NOT NULL CHECK (state IN ('queued', 'leased', 'done', 'dead', 'parked')),
  attempts integer NOT NULL DEFAULT 0,
  not_before bigint NOT NULL,                           -- epoch ms, store clock
  enqueued_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  lease_until bigint,
  lease_owner text,
  reason text,
  vendor_id text,
  idempotency_key text NOT NULL,
  outcome_unknown boolean NOT NULL DEFAULT false,
  UNIQUE (connector, id)
);
-- lease() walks the queued rows of one connector in queue order, and the leased ones by expiry:
-- partial indexes hold only those rows, so a queue with millions done stays as quick as a new one.
CREATE INDEX recon_messages_queued ON ${s}.recon_messages (connector, enqueued_at, seq) WHERE state = 'queued';
CREATE INDEX recon_messages_leased ON ${s}.recon_messages (connector, lease_until) WHERE state = 'leased';
-- list --state and stats.
CREATE INDEX recon_messages_state ON ${s}.recon_messages (connector, state, enqueued_at, seq);

CREATE TABLE ${s}.recon_audit (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,                              -- when the request was sent
  connector text NOT NULL,
  message_id text NOT NULL,
  attempt integer,
  operation text NOT NULL,
  method text,
  url text,
  status integer,                                       -- NULL when no response (timeout, reset)
  outcome text,
  error_class text,
  duration_ms double precision,
  idempotency_key text,
  content text NOT NULL,                                -- the record's canonical JSON: what the hash covers
  prev_hash text NOT NULL,
  hash text NOT NULL,
  append_id uuid NOT NULL UNIQUE                        -- makes an append retried after a lost commit reply a no-op
);
CREATE INDEX recon_audit_at ON ${s}.recon_audit (at);
CREATE INDEX recon_audit_connector ON ${s}.recon_audit (connector, at);
CREATE INDEX recon_audit_message ON ${s}.recon_audit (message_id, connector);
CREATE INDEX recon_audit_operation ON ${s}.recon_audit (operation, at);

-- One row. head_*: the last record appended (appends lock this row, one at a time);
-- checkpoint_*: the last record pruned, where verification starts.
CREATE TABLE ${s}.recon_audit_chain (
  singleton integer PRIMARY KEY CHECK (singleton = 1),
  head_seq bigint NOT NULL,
  head_hash text NOT NULL,
  checkpoint_seq bigint NOT NULL,
  checkpoint_hash text NOT NULL
);
INSERT INTO ${s}.recon_audit_chain VALUES (1, 0, '', 0, '');

CREATE TABLE ${s}.recon_state (
  key text PRIMARY KEY,
  value text NOT NULL,                                  -- JSON
  updated_at bigint NOT NULL                            -- epoch ms, store clock
);
`,
  },
  {
    version: 2,
    description: 'workers and their heartbeats',
    sql: (s) => `
CREATE TABLE ${s}.recon_workers (
  owner text PRIMARY KEY,                               -- the lease owner id: host:pid:random
  connector text NOT NULL,
  host text NOT NULL,
  pid integer NOT NULL,
  started_at bigint NOT NULL,                           -- epoch ms, the worker's own clock (shown only)
  state text NOT NULL,                                  -- running | stopping
  in_flight integer NOT NULL,
  mode text NOT NULL,                                   -- worker | run
  last_heartbeat bigint NOT NULL                        -- epoch ms, store clock
);
`,
  },
];

export const LATEST_PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;

export interface PgSchemaPlan {
  /** The version the schema is at now (0: no recon tables yet). */
  current: number;
  latest: number;
  pending: { version: number; description: string; sql: string }[];
  /** Everything that would run, in order, as one SQL script (for --dry-run). */
  script: string;
}

const versionTable = (s: string) =>
  `CREATE TABLE IF NOT EXISTS ${s}.recon_schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
const advisoryLock = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';
const lockKey = (schema: string) => `recon schema ${schema}`;

/**
 * What migrating would do, read without changing anything.
 *
 * @example
 * const plan = await pgSchemaPlan(client, location); // { current: 1, latest: 2, pending: [{ version: 2, … }], script: 'BEGIN; …' }
 */
export async function pgSchemaPlan(client: Pick<pg.ClientBase, 'query'>, location: PgLocation, target = LATEST_PG_SCHEMA_VERSION): Promise<PgSchemaPlan> {
  const current = await schemaVersion(client, location);
  const s = location.quotedSchema;
  const pending = PG_MIGRATIONS.filter((m) => m.version > current && m.version <= target).map((m) => ({ version: m.version, description: m.description, sql: m.sql(s).trim() }));
  const script = pending.length === 0 ? '' : [
    'BEGIN;',
    `SELECT pg_advisory_xact_lock(hashtextextended('${lockKey(location.schema)}', 0));`,
    `CREATE SCHEMA IF NOT EXISTS ${s};`,
    `${versionTable(s)};`,
    ...pending.flatMap((m) => [`-- ${m.version}: ${m.description}`, m.sql, `INSERT INTO ${s}.recon_schema_version (version, description) VALUES (${m.version}, '${m.description.replace(/'/g, "''")}');`]),
    'COMMIT;',
  ].join('\n');
  return { current, latest: LATEST_PG_SCHEMA_VERSION, pending, script };
}

/**
 * Bring the schema to `target` (default: the latest), or refuse it. Call inside a transaction:
 * the advisory lock is held until it commits. Returns the versions before and after.
 *
 * @example
 * await runner.transaction((client) => migratePg(client, location)); // { from: 0, to: 2 } on a new database
 */
export async function migratePg(client: Pick<pg.ClientBase, 'query'>, location: PgLocation, target = LATEST_PG_SCHEMA_VERSION): Promise<{ from: number; to: number }> {
  await client.query(advisoryLock, [lockKey(location.schema)]);
  const current = await schemaVersion(client, location);
  if (current > LATEST_PG_SCHEMA_VERSION) throw tooNew(location, current);
  const s = location.quotedSchema;
  const pending = PG_MIGRATIONS.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return { from: current, to: current };
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await client.query(versionTable(s));
  for (const migration of pending) {
    await client.query(migration.sql(s));
    await client.query(`INSERT INTO ${s}.recon_schema_version (version, description) VALUES ($1, $2)`, [migration.version, migration.description]);
  }
  return { from: current, to: pending.at(-1)!.version };
}

/** 0 when the schema or its version table is not there yet. */
async function schemaVersion(client: Pick<pg.ClientBase, 'query'>, location: PgLocation): Promise<number> {
  const table = await client.query<{ exists: boolean }>(
    "SELECT to_regclass(format('%I.recon_schema_version', $1::text)) IS NOT NULL AS exists",
    [location.schema],
  );
  if (!table.rows[0]?.exists) return 0;
  const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${location.quotedSchema}.recon_schema_version`);
  return rows[0]?.version ?? 0;
}

export function tooNew(location: PgLocation, current: number): StoreUnavailableError {
  return new StoreUnavailableError(
    'RECON_STORE_TOO_NEW',
    location.redacted,
    `schema "${location.schema}" is at store version ${current}, written by a newer recon (this one knows up to ${LATEST_PG_SCHEMA_VERSION})`,
    { hint: 'Upgrade recon on this machine (every worker on one database must run the same recon), or name another ?schema=.' },
  );
}
