/**
 * Reading a `postgres://` location: the connection string node-postgres gets, the schema recon's
 * tables live in (`?schema=`, default `recon`), and a spelling of it safe to print (never the
 * password).
 */
import { StoreInputError } from './errors.js';

/** Where the tables go when the location names no `?schema=`. */
export const DEFAULT_PG_SCHEMA = 'recon';

export interface PgLocation {
  /** For node-postgres: the location without recon's own `schema` parameter. */
  connectionString: string;
  /** The PostgreSQL schema name, as given (validated). */
  schema: string;
  /** The schema as a quoted identifier, for SQL text. */
  quotedSchema: string;
  /** The location with the password replaced by `***`: for messages and `recon store status`. */
  redacted: string;
  host: string;
  port: number;
  database: string;
  user: string;
}

// Unquoted-identifier shape, at most 63 bytes (NAMEDATALEN - 1): no quoting surprises, no injection.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** True for `postgres://…` and `postgresql://…`. */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location.trim());
}

/**
 * @example
 * parsePgLocation('postgres://recon:s3cret@db:5432/ops?schema=recon_prod&sslmode=require');
 * // { schema: 'recon_prod', quotedSchema: '"recon_prod"', redacted: 'postgres://recon:***@db:5432/ops?schema=recon_prod&sslmode=require', … }
 */
export function parsePgLocation(location: string): PgLocation {
  const text = location.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreInputError('RECON_STORE_BAD_INPUT', `--store ${redactUrl(text)}: not a valid postgres:// URL`, {
      hint: 'Spell it postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=recon]; percent-encode special characters in the password.',
    });
  }
  const schemas = url.searchParams.getAll('schema');
  const schema = schemas.at(-1) ?? DEFAULT_PG_SCHEMA;
  if (!IDENTIFIER.test(schema)) {
    throw new StoreInputError('RECON_STORE_BAD_INPUT', `--store ${redactUrl(text)}: schema "${schema}" is not a plain identifier (letters, digits and _, not starting with a digit, at most 63)`);
  }
  url.searchParams.delete('schema');
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres';
  return {
    connectionString: url.toString(),
    schema,
    quotedSchema: `"${schema}"`,
    redacted: redactUrl(text),
    host: url.hostname || 'localhost',
    port: url.port === '' ? 5432 : Number(url.port),
    database,
    user: decodeURIComponent(url.username) || 'postgres',
  };
}

/**
 * A location with any password in it replaced by `***` (the user name is kept: it is what an
 * authentication error is about).
 *
 * @example
 * redactUrl('postgres://recon:s3cret@db/ops'); // 'postgres://recon:***@db/ops'
 */
export function redactUrl(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&]*/gi, '$1***');
}
