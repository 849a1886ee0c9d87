/**
 * Scrubs free text: known secret values (and the encoded forms they travel in), JWTs and
 * Norwegian national identity numbers.
 *
 * Regular expressions without lookaround or nested quantifiers, so a scan is linear in the
 * text: secret literals, then a JWT candidate (`eyJ` and the whole run of base64url characters
 * and dots after it) or a whole run of digits. The callback checks a candidate's shape (three or
 * five JWT parts; exactly eleven digits with valid check digits) and leaves the rest alone.
 */
import { emptyCounts, marker, type RedactionCounts, type RedactionKind } from './kinds.js';
import { isNationalId } from './national-id.js';

/** Secret values shorter than this are ignored: they would match ordinary text everywhere. */
export const MIN_SECRET_LENGTH = 4;

const JWT_CANDIDATE = 'eyJ[A-Za-z0-9_.-]*';
/** `\\d{11,}` would be the same, but V8 backtracks it on the stack: a 10 MB run of digits overflows. */
const DIGIT_RUN = '\\d{11}\\d*';
const ELEVEN_DIGITS = /\d{11}/;
/** Shortest JWT the shape check accepts: `eyJ` + 4, a dot, 2, a dot. */
const MIN_JWT_LENGTH = 13;

export interface ScrubOptions {
  /** The text was cut: also remove a secret or JWT cut off at its end. */
  truncated?: boolean;
}

/** Text gets `<redacted:kind>` markers; binary content keeps its length, the match masked with `*`. */
type Mode = 'marker' | 'mask';

interface Patterns {
  /** Anything at all to look at (not global: `test` keeps no state). */
  any: RegExp;
  secrets: RegExp | undefined;
  /** JWT candidates and digit runs, checked in the callback. */
  shapes: RegExp;
}

export class TextScrubber {
  private readonly secrets = new Set<string>();
  private variants: string[] = [];
  private textPatterns: Patterns | undefined;
  private bytePatterns: Patterns | undefined;
  private minLength: number;

  constructor(
    secrets: readonly string[],
    readonly nationalIds: boolean,
  ) {
    this.minLength = nationalIds ? 11 : MIN_JWT_LENGTH;
    for (const secret of secrets) this.add(secret);
  }

  /** Adds a secret value; false when it was known already or is too short to redact safely. */
  add(secret: string): boolean {
    if (secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return false;
    this.secrets.add(secret);
    const known = new Set(this.variants);
    for (const variant of secretVariants(secret)) known.add(variant);
    this.variants = [...known].sort((a, b) => b.length - a.length);
    this.minLength = Math.min(this.minLength, this.variants[this.variants.length - 1]!.length);
    this.textPatterns = undefined;
    this.bytePatterns = undefined;
    return true;
  }

  has(secret: string): boolean {
    return this.secrets.has(secret);
  }

  /** How many secret values are known; grows with every new one. */
  get size(): number {
    return this.secrets.size;
  }

  /**
   * Whether `scrub` could change anything in `text`. Plain substring searches and one simple
   * pattern: several times faster than the combined alternation, which V8 cannot scan for with
   * a fixed prefix.
   */
  finds(text: string): boolean {
    if (text.length < this.minLength) return false;
    if (text.includes('eyJ')) return true;
    if (this.nationalIds && ELEVEN_DIGITS.test(text)) return true;
    return this.variants.some((variant) => text.includes(variant));
  }

  /** The text with every secret, JWT and national id replaced by its marker. */
  scrub(text: string, counts: RedactionCounts = emptyCounts(), options: ScrubOptions = {}): string {
    let result = text;
    if (text.length >= this.minLength) {
      this.textPatterns ??= this.compile(this.variants);
      result = this.replace(text, this.textPatterns, 'marker', counts);
    }
    return options.truncated ? this.scrubCutTail(result, counts) : result;
  }

  /**
   * Binary content keeps its length and every byte that is not part of a match: a secret, JWT
   * or national id written in it as ASCII/UTF-8 bytes becomes `*`s. Returns a copy.
   */
  scrubBytes(bytes: Buffer, counts: RedactionCounts = emptyCounts()): Buffer {
    if (bytes.length < this.minLength) return Buffer.from(bytes);
    this.bytePatterns ??= this.compile(this.variants.map((v) => Buffer.from(v, 'utf8').toString('latin1')));
    const text = bytes.toString('latin1');
    const result = this.replace(text, this.bytePatterns, 'mask', counts);
    return result === text ? Buffer.from(bytes) : Buffer.from(result, 'latin1');
  }

  private compile(variants: readonly string[]): Patterns {
    const secrets = variants.length > 0 ? variants.map(escapeRegExp).join('|') : undefined;
    // `(?!)` never matches: the group numbering stays the same whatever is switched off.
    const shapes = `(${JWT_CANDIDATE})|(${this.nationalIds ? DIGIT_RUN : '(?!)'})`;
    return {
      any: new RegExp(secrets === undefined ? shapes : `${secrets}|${shapes}`),
      secrets: secrets === undefined ? undefined : new RegExp(secrets, 'g'),
      shapes: new RegExp(shapes, 'g'),
    };
  }

  /**
   * Secrets first, in a pass of their own: a JWT candidate or digit run swallows its whole run,
   * and a secret that starts inside one and ends outside it would otherwise be missed.
   */
  private replace(text: string, patterns: Patterns, mode: Mode, counts: RedactionCounts): string {
    // Most text has nothing to redact: one test, no callbacks.
    if (!patterns.any.test(text)) return text;
    const redact = (match: string, kind: RedactionKind): string => {
      counts[kind]++;
      return mode === 'marker' ? marker(kind) : '*'.repeat(match.length);
    };
    const scrubbed = patterns.secrets === undefined ? text : text.replace(patterns.secrets, (match) => redact(match, 'secret'));
    return scrubbed.replace(patterns.shapes, (match: string, jwt: string | undefined, digits: string | undefined, offset: number, whole: string) => {
      if (jwt !== undefined) {
        const length = jwtLength(match, whole, offset);
        return length === 0 ? match : redact(match.slice(0, length), 'jwt') + match.slice(length);
      }
      if (digits !== undefined && digits.length === 11 && !inDecimal(whole, offset) && isNationalId(digits)) return redact(match, 'fnr');
      return match;
    });
  }

  /** A body cut at the size cap may end in the first part of a secret or JWT. */
  private scrubCutTail(text: string, counts: RedactionCounts): string {
    let runStart = text.length;
    while (runStart > 0 && isJwtChar(text.charCodeAt(runStart - 1))) runStart--;
    if (text.startsWith('eyJ', runStart)) return text.slice(0, runStart) + count(counts, 'jwt');
    for (const variant of this.variants) {
      for (let length = Math.min(variant.length - 1, text.length); length >= MIN_SECRET_LENGTH; length--) {
        if (text.endsWith(variant.slice(0, length))) return text.slice(0, text.length - length) + count(counts, 'secret');
      }
    }
    return text;
  }
}

/**
 * Length of the JWT at the start of a candidate run, or 0. RFC 7519 §3: a JWS is three
 * base64url parts (the signature may be empty, `alg: none`), a JWE five. It must begin a run:
 * after a non-base64url character or a `%XX` escape (`token%22eyJ…`).
 */
function jwtLength(run: string, text: string, offset: number): number {
  if (offset > 0 && isB64Url(text.charCodeAt(offset - 1)) && !(offset >= 3 && text[offset - 3] === '%')) return 0;
  const parts = run.split('.', 6);
  if (parts.length < 3 || parts[0]!.length < 7 || parts[1]!.length < 2) return 0;
  const count = parts.length >= 5 && parts[3] !== '' && parts[4] !== '' && parts[2] !== '' ? 5 : 3;
  return parts.slice(0, count).reduce((sum, part) => sum + part.length, count - 1);
}

/** `12345678901.5` or `0.12345678901`: part of a decimal, not an identifier. */
function inDecimal(text: string, offset: number): boolean {
  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  return (text[offset - 1] === '.' && isDigit(text.charCodeAt(offset - 2))) || (text[offset + 11] === '.' && isDigit(text.charCodeAt(offset + 12)));
}

function isB64Url(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
}

/** base64url and the dots between JWT parts. */
function isJwtChar(c: number): boolean {
  return isB64Url(c) || c === 0x2e;
}

function count(counts: RedactionCounts, kind: 'secret' | 'jwt'): string {
  counts[kind]++;
  return marker(kind);
}

/**
 * The forms a secret travels in: as is, percent-encoded (RFC 3986 and form encoding), escaped
 * inside a JSON string (a body recon could not parse is scrubbed as text), and base64. For base64
 * also the part that encodes the secret alone at each of the three byte alignments, so the
 * secret is found inside the base64 of a longer text, such as HTTP Basic's `user:secret`
 * (RFC 7617 §2) for any user: at most the two characters at either end, shared with the
 * neighbouring bytes, stay.
 */
function secretVariants(secret: string): string[] {
  const utf8 = Buffer.from(secret, 'utf8');
  const variants = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(secret).slice(1, -1).replaceAll('/', '\\/'),
    utf8.toString('base64'),
    utf8.toString('base64').replace(/=+$/, ''),
    utf8.toString('base64url'),
  ];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), utf8]).toString('base64');
    // Characters before `offset + 1` mix in the bytes before the secret; after the last whole
    // 3-byte group, the bytes after it.
    const middle = encoded.slice(offset === 0 ? 0 : offset + 1, Math.floor((offset + utf8.length) / 3) * 4);
    if (middle.length >= 8) variants.push(middle);
  }
  return variants.filter((v) => v.length >= MIN_SECRET_LENGTH);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
