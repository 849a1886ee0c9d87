/**
 * Redaction: everything recon writes (recordings, reports, logs) passes through here first, so
 * that credentials and personal data never reach a file.
 *
 * Always removed: credential headers (Authorization keeps its scheme), credential query
 * parameters, credential fields in JSON and form bodies (`password`, `client_secret`,
 * `access_token`, …), configured headers, parameters and body paths, every known secret value
 * (and its URL-encoded, JSON-escaped and base64 forms), JWTs, and Norwegian national identity
 * numbers. Values become `<redacted:KIND>`; in JSON a redacted number becomes `0` and a boolean
 * `false`, so that every value keeps its type (see json-body.ts). Binary bodies keep their
 * bytes and length; secrets written in them are masked with `*` (see body.ts).
 *
 * Credentials seen in credential positions (the Authorization header, `access_token` in a token
 * response, …) are learned and scrubbed wherever they appear afterwards (`learnCredentials`).
 *
 * @example
 * const redactor = createRedactor({ secrets: config.secrets, ...config.redaction });
 * redactor.addSecret(issuedToken);
 * const safe = redactor.exchange(exchange); // a redacted deep copy
 * redactor.url('https://api.example/x?api_key=abc'); // 'https://api.example/x?api_key=<redacted:query>'
 */
import type { Exchange } from '../types.js';
import { redactExchange, type RedactedExchange } from './exchange.js';
import { redactHeaderValue } from './headers.js';
import { emptyCounts } from './kinds.js';
import { RedactionContext, type RedactorOptions } from './options.js';
import { MIN_SECRET_LENGTH } from './text.js';
import { redactUrl } from './url.js';

export type { RedactorOptions } from './options.js';
export type { RedactedExchange, RedactionReport } from './exchange.js';
export type { BodyKind, BodyRedaction } from './body.js';
export type { RedactionCounts, RedactionKind } from './kinds.js';
export { bodyKind, mediaType } from './body.js';
export { headerValue } from './exchange.js';
export { isNationalId } from './national-id.js';
export { MIN_SECRET_LENGTH } from './text.js';
export { MIN_LEARNED_LENGTH } from './options.js';

export interface Redactor {
  /** A redacted deep copy of the exchange; the input is not changed. */
  exchange(e: Exchange): Exchange;
  /** The same, with what was redacted (counts per kind, zeroed JSON values, original sizes). */
  redactExchange(e: Exchange): RedactedExchange;
  /** Free text (a log line, an error message): secrets, JWTs, national ids. */
  text(s: string): string;
  /**
   * Binary content: the same length, with any secret, JWT or national id written in it as
   * ASCII/UTF-8 overwritten with `*`. Returns a copy.
   */
  bytes(b: Buffer): Buffer;
  headerValue(name: string, value: string): string;
  /**
   * One value found in a body under the property `name` (an example a report shows): a
   * credential field's value is replaced whole, a string is scrubbed, anything else is kept.
   */
  field(name: string | undefined, value: unknown): unknown;
  url(u: string): string;
  /**
   * A secret learned at run time (an issued token): scrubbed from everything redacted after this.
   * Values shorter than `MIN_SECRET_LENGTH` (4) are ignored.
   */
  addSecret(value: string): void;
  /**
   * How many secret values are known (configured, added, learned). When it has grown since
   * something was redacted, that something may hold a secret learned later: redact it again
   * (`HarRecorder` does, before it writes).
   */
  readonly secretCount: number;
}

/** What a credential field's value is shown as. */
export const REDACTED_FIELD = '[redacted]';

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const ctx = new RedactionContext(options);
  return {
    exchange: (e) => redactExchange(e, ctx).exchange,
    redactExchange: (e) => redactExchange(e, ctx),
    text: (s) => ctx.scrub(s, emptyCounts()),
    bytes: (b) => ctx.scrubber.scrubBytes(b, emptyCounts()),
    headerValue: (name, value) => redactHeaderValue(name, value, ctx, emptyCounts()),
    field: (name, value) => {
      if (name !== undefined && ctx.isCredentialField(name)) return REDACTED_FIELD;
      return typeof value === 'string' ? ctx.scrub(value, emptyCounts()) : value;
    },
    url: (u) => redactUrl(u, ctx, emptyCounts()),
    addSecret: (value) => {
      if (value.length >= MIN_SECRET_LENGTH) ctx.scrubber.add(value);
    },
    get secretCount() {
      return ctx.scrubber.size;
    },
  };
}
