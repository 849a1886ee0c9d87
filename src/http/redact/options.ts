/**
 * Redactor options, normalised once into a context with every default written out, and the
 * name rules that decide which headers, query parameters and body fields are credentials.
 */
import { PathMatcher } from './json-path.js';
import type { RedactionCounts } from './kinds.js';
import { TextScrubber, type ScrubOptions } from './text.js';

export interface RedactorOptions {
  /** Extra header names to redact (case-insensitive), beside the built-in credential headers. */
  headers?: string[];
  /** Extra query parameter names to redact (case-insensitive). */
  queryParams?: string[];
  /** Body paths to redact: `customer.ssn`, `items[*].iban`, `**.password`, `/customer/ssn`. */
  jsonPaths?: string[];
  /** Secret values to scrub wherever they occur (config secrets, client secrets, API keys). */
  secrets?: string[];
  /** Redact Norwegian fødselsnummer and D-numbers found in any text. Default true. */
  nationalIds?: boolean;
  /**
   * Also scrub, from then on, every credential value seen in a credential position
   * (Authorization, API-key headers, token query parameters, `password`/`*_token` fields) that is
   * at least 8 characters long: a token the vendor echoes elsewhere is caught. Default true.
   */
  learnCredentials?: boolean;
}

/** Shortest credential value learned from traffic; shorter ones would match ordinary text. */
export const MIN_LEARNED_LENGTH = 8;
/**
 * Most credential values learned from traffic. Each one is an alternative in the scrubbing
 * pattern; a vendor listing thousands of users with an `apiKey` each must not make every later
 * scrub slow. Credentials in credential positions are redacted regardless; only the echo
 * elsewhere of value number 513 onwards would be missed.
 */
export const MAX_LEARNED = 512;

/** Headers that always carry credentials (RFC 9110 §11.6.2, §11.7.2; RFC 6265 §4). */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token'];
/** A header whose name contains one of these is a credential... */
// `session`: X-Session, X-Session-Id and Session-Token carry a logged-in session, which is a credential.
const CREDENTIAL_HEADER_WORDS = ['token', 'secret', 'password', 'api-key', 'apikey', 'api_key', 'session'];
/** ...unless it is a rate-limit header: `x-ratelimit-remaining-tokens` is a count recon measures. */
const RATE_LIMIT_HEADER = /rate-?limit/;

const CREDENTIAL_QUERY_PARAMS = ['access_token', 'api_key', 'apikey', 'key', 'token', 'client_secret', 'password', 'signature', 'sig'];
/** `X-Amz-Signature`, `X-Amz-Credential` in pre-signed URLs. */
const CREDENTIAL_QUERY_SUFFIXES = ['signature', 'credential'];

/**
 * Field names compare lower-cased with `_` and `-` ignored (`access_token` = `accessToken` =
 * `ACCESS-TOKEN`). A name is a credential when it ends with one of these words (`newPassword`,
 * `client_secret`, `x_api_key`), or is `token` itself: `nextPageToken` and `token_type` are not.
 */
const CREDENTIAL_FIELD_SUFFIXES = [
  'password', 'passwd', 'secret', 'apikey', 'privatekey', 'assertion', 'codeverifier', 'accesstoken', 'refreshtoken',
  'idtoken', 'sessiontoken', 'authtoken', 'securitytoken', 'subjecttoken', 'actortoken', 'apitoken', 'bearertoken',
];
/** The words above by their last letter: most names are rejected on that alone. */
const CREDENTIAL_FIELDS_BY_LAST_CHAR: (string[] | undefined)[] = [];
for (const word of CREDENTIAL_FIELD_SUFFIXES) (CREDENTIAL_FIELDS_BY_LAST_CHAR[word.charCodeAt(word.length - 1)] ??= []).push(word);

export class RedactionContext {
  readonly scrubber: TextScrubber;
  readonly paths: PathMatcher;
  readonly learnCredentials: boolean;
  private readonly headers: Set<string>;
  private readonly queryParams: Set<string>;
  private learned = 0;

  constructor(options: RedactorOptions) {
    const normalised = {
      headers: options.headers ?? [],
      queryParams: options.queryParams ?? [],
      jsonPaths: options.jsonPaths ?? [],
      secrets: options.secrets ?? [],
      nationalIds: options.nationalIds ?? true,
      learnCredentials: options.learnCredentials ?? true,
    };
    this.headers = new Set([...CREDENTIAL_HEADERS, ...normalised.headers.map((h) => h.toLowerCase())]);
    this.queryParams = new Set([...CREDENTIAL_QUERY_PARAMS, ...normalised.queryParams.map((q) => q.toLowerCase())]);
    this.paths = new PathMatcher(normalised.jsonPaths);
    this.scrubber = new TextScrubber(normalised.secrets, normalised.nationalIds);
    this.learnCredentials = normalised.learnCredentials;
  }

  isCredentialHeader(name: string): boolean {
    const lower = name.toLowerCase();
    if (this.headers.has(lower)) return true;
    if (RATE_LIMIT_HEADER.test(lower)) return false;
    return CREDENTIAL_HEADER_WORDS.some((word) => lower.includes(word));
  }

  isCredentialQueryParam(name: string): boolean {
    const lower = name.toLowerCase();
    if (this.queryParams.has(lower)) return true;
    return CREDENTIAL_QUERY_SUFFIXES.some((suffix) => lower.endsWith(suffix)) || this.isCredentialField(name);
  }

  /** Body field names that hold credentials, at any depth. */
  isCredentialField(name: string): boolean {
    // Called for every key of every body: compare from the end, without allocating.
    if (name.length < 5) return false;
    const last = name.charCodeAt(name.length - 1);
    if (last === 0x5f || last === 0x2d) return this.isCredentialField(name.slice(0, -1));
    const words = CREDENTIAL_FIELDS_BY_LAST_CHAR[last | 0x20];
    if (words === undefined) return false;
    for (let k = 0; k < words.length; k++) if (wordAtEnd(name, words[k]!) !== -2) return true;
    return last === 0x6e /* n */ || last === 0x4e ? wordAtEnd(name, 'token') === -1 : false;
  }

  scrub(text: string, counts: RedactionCounts, options?: ScrubOptions): string {
    return this.scrubber.scrub(text, counts, options);
  }

  /** Remember a credential seen in traffic so that it is scrubbed wherever it shows up later. */
  learn(value: string): void {
    if (!this.learnCredentials || value.length < MIN_LEARNED_LENGTH || this.learned >= MAX_LEARNED) return;
    if (this.scrubber.add(value)) this.learned++;
  }
}

/**
 * Where `word` starts at the end of `name` (case-insensitive, `_` and `-` skipped): the index of
 * the last character before it, -1 when nothing precedes it but separators, -2 when it is not there.
 */
function wordAtEnd(name: string, word: string): number {
  let i = name.length - 1;
  for (let j = word.length - 1; j >= 0; i--) {
    if (i < 0) return -2;
    let c = name.charCodeAt(i);
    if (c === 0x5f || c === 0x2d) continue;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== word.charCodeAt(j)) return -2;
    j--;
  }
  while (i >= 0 && (name.charCodeAt(i) === 0x5f || name.charCodeAt(i) === 0x2d)) i--;
  return i;
}
