/**
 * The SQLite store's schema, as numbered migrations recorded in `recon_schema_version`.
 * A store file is only ever moved forward, one migration per transaction; a file written by a
 * newer recon (a version above the last one here) is refused rather than guessed at, and a
 * SQLite file that is not a recon store is never touched.
 */
import type Database from 'better-sqlite3';
import { StoreUnavailableError } from './errors.js';

/** 'recn' in the database header (PRAGMA application_id): `file` and sqlite tools show it is ours. */
export const RECON_APPLICATION_ID = 0x7265636e;

interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'queue, audit log with hash chain',
    sql: `
      CREATE TABLE recon_messages (
        seq INTEGER PRIMARY KEY,            -- insertion order: "oldest first" among equal enqueuedAt
        connector TEXT NOT NULL,
        id TEXT NOT NULL,
        payload TEXT NOT NULL,              -- JSON
        state TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'done', 'dead', 'parked')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL,
        enqueued_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        lease_until INTEGER,
        lease_owner TEXT,
        reason TEXT,
        vendor_id TEXT,
        idempotency_key TEXT NOT NULL,
        outcome_unknown INTEGER NOT NULL DEFAULT 0,
        UNIQUE (connector, id)
      );
      -- lease() walks each state in queue order and filters on not_before / lease_until; list()
      -- and stats() read it too. One index only: every state change rewrites each index that
      -- holds state, and those page writes are most of what a commit costs.
      CREATE INDEX recon_messages_order ON recon_messages (connector, state, enqueued_at, seq);

      CREATE TABLE recon_audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        at_ms INTEGER NOT NULL,             -- for --since/--until range queries
        connector TEXT NOT NULL,
        message_id TEXT NOT NULL,
        operation TEXT NOT NULL,
        status INTEGER,
        content TEXT NOT NULL,              -- canonical JSON of the record: what the hash covers
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      -- No index on status alone: a handful of values, nearly always asked with a time range
      -- or a connector, which these indexes narrow first; each index is paid on every append.
      CREATE INDEX recon_audit_at ON recon_audit (at_ms);
      CREATE INDEX recon_audit_connector ON recon_audit (connector, at_ms);
      CREATE INDEX recon_audit_message ON recon_audit (message_id, connector);
      CREATE INDEX recon_audit_operation ON recon_audit (operation, at_ms);

      -- One row. head_*: the last record appended, so deleting records at the end is detected.
      -- checkpoint_*: the last record pruned, so verification starts from it after a prune.
      CREATE TABLE recon_audit_chain (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        head_seq INTEGER NOT NULL,
        head_hash TEXT NOT NULL,
        checkpoint_seq INTEGER NOT NULL,
        checkpoint_hash TEXT NOT NULL
      );
      INSERT INTO recon_audit_chain VALUES (1, 0, '', 0, '');
    `,
  },
  {
    version: 2,
    description: "named state between runs (a pull connector's position)",
    sql: `
      CREATE TABLE recon_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,                -- JSON
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'workers and their heartbeats',
    sql: `
      -- One row per delivering process (recon run, recon run --worker), written at each heartbeat;
      -- removed when it stops cleanly. A process that died keeps its row until it goes stale.
      CREATE TABLE recon_workers (
        owner TEXT PRIMARY KEY,             -- the lease owner id it leases with
        connector TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'stopping')),
        in_flight INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('worker', 'run')),
        last_heartbeat INTEGER NOT NULL
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Bring `db` to the latest schema, or refuse it. Runs in one IMMEDIATE transaction so two
 * processes opening a new file at once do not both create it.
 *
 * @example
 * migrate(db, '/srv/.recon/recon.db', Date.now()); // 0 → 3 on a new file; 1 or 2 → 3 on an older store; nothing on a current one
 */
export function migrate(db: Database.Database, file: string, now: number): void {
  const run = db.transaction(() => {
    const current = schemaVersion(db, file);
    if (current > LATEST_SCHEMA_VERSION) {
      throw new StoreUnavailableError(
        'RECON_STORE_TOO_NEW',
        file,
        `${file}: store schema version ${current} was written by a newer recon (this one knows up to ${LATEST_SCHEMA_VERSION})`,
        { hint: 'Upgrade recon, or point --store at another file.' },
      );
    }
    if (current === 0) {
      db.exec('CREATE TABLE IF NOT EXISTS recon_schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)');
      db.pragma(`application_id = ${RECON_APPLICATION_ID}`);
    }
    const record = db.prepare('INSERT INTO recon_schema_version (version, description, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.description, new Date(now).toISOString());
    }
  });
  run.immediate();
}

/** 0 for an empty file; the recorded version for a recon store; an error for anything else. */
function schemaVersion(db: Database.Database, file: string): number {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const hasVersionTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recon_schema_version'").get() !== undefined;
  if (hasVersionTable && (applicationId === RECON_APPLICATION_ID || applicationId === 0)) {
    const row = db.prepare('SELECT MAX(version) AS version FROM recon_schema_version').get() as { version: number | null };
    return row.version ?? 0;
  }
  const objects = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").get() as { n: number };
  if (objects.n === 0 && applicationId === 0) return 0;
  throw new StoreUnavailableError('RECON_STORE_NOT_A_STORE', file, `${file} is a SQLite database, but not a recon store`, {
    hint: 'recon never changes a database it did not create: point --store at a new or recon-made file.',
  });
}
