/**
 * The PostgreSQL the tests share: RECON_TEST_PG, or postgres://postgres@127.0.0.1:5432/postgres
 * (the machine's server, trust auth). Each test gets a fresh schema `recon_t_<random>` and every
 * schema made is dropped after the file. When the server does not answer: in CI (`CI` set) the
 * tests fail — they never skip there; on a laptop they skip, saying why.
 *
 * @example
 * const pg = await sharedPg();
 * describe.skipIf(!pg.available)(`PostgreSQL store ${pg.skipReason}`, () => {
 *   afterAll(() => pg.dropSchemas());
 *   it('…', async () => { const store = await openStore(pg.freshLocation(), { time: 'caller' }); … });
 * });
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';

export const TEST_PG = process.env.RECON_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface SharedPg {
  available: boolean;
  /** '' when available; otherwise "(skipped: …)" for the describe title. */
  skipReason: string;
  /** The server's URL (no schema). */
  url: string;
  /** A URL with `?schema=recon_t_<random>`, a schema nobody used; dropped by dropSchemas(). */
  freshLocation(): string;
  /** The schema name of a location made by freshLocation. */
  schemaOf(location: string): string;
  /** Plain SQL on the server (tests that look past the interface). */
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  dropSchemas(): Promise<void>;
}

export async function sharedPg(url = TEST_PG): Promise<SharedPg> {
  const reason = await unreachableReason(url);
  if (reason !== undefined && process.env.CI) {
    throw new Error(`PostgreSQL tests cannot run in CI: ${reason}. Start PostgreSQL on 127.0.0.1:5432 (trust auth) or set RECON_TEST_PG.`);
  }
  const schemas: string[] = [];
  const sql = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(text, params)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    available: reason === undefined,
    skipReason: reason === undefined ? '' : `(skipped: ${reason}; set RECON_TEST_PG)`,
    url,
    freshLocation() {
      const schema = `recon_t_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return withSchema(url, schema);
    },
    schemaOf: (location) => new URL(location).searchParams.get('schema') ?? 'recon',
    sql,
    async dropSchemas() {
      const names = schemas.splice(0);
      if (names.length === 0 || reason !== undefined) return;
      await sql(names.map((name) => `DROP SCHEMA IF EXISTS "${name}" CASCADE;`).join('\n'));
    },
  };
}

/**
 * A port on 127.0.0.1 nothing listens on (bound, then released): where "PostgreSQL does not
 * answer" is tested.
 *
 * @example const url = `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`;
 */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `url` with `?schema=` set. */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

async function unreachableReason(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${new URL(url).host} does not answer (${(error as { code?: string }).code ?? (error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}
