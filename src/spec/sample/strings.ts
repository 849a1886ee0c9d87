/**
 * Strings for a schema: a value in its `format` (as ajv-formats' full mode and recon's OpenAPI
 * formats check them), else one matching its `pattern`, else words, all within
 * `minLength`/`maxLength` (counted in code points, as the engine counts them).
 */
import { compilePattern } from './pattern.js';
import type { Random } from './random.js';

export interface StringConstraints {
  minLength: number;
  maxLength: number;
  patterns: RegExp[];
  format?: string;
}

const WORDS = ['alpha', 'bravo', 'nord', 'konto', 'faktura', 'kunde', 'ordre', 'lager', 'prosjekt', 'avdeling', 'bilag', 'betaling'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const BASE64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function date(random: Random): string {
  return `${random.int(2019, 2026)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
}
function time(random: Random): string {
  return `${pad(random.int(0, 23))}:${pad(random.int(0, 59))}:${pad(random.int(0, 59))}`;
}
function hex(random: Random, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += random.int(0, 15).toString(16);
  return out;
}
function uuid(random: Random): string {
  // RFC 4122 §4.4: version 4, variant 10xx.
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${'89ab'[random.int(0, 3)]}${hex(random, 3)}-${hex(random, 12)}`;
}
function base64(random: Random, bytes: number): string {
  return Buffer.from(Array.from({ length: bytes }, () => random.int(0, 255))).toString('base64');
}

/** Generators per format name. Formats not listed (and those the engine does not know) get
 * plain words: an unknown format accepts anything. */
const FORMATS: Record<string, (random: Random) => string> = {
  // RFC 3339 §5.6 with a `Z` offset: ajv-formats' full mode requires the time zone.
  'date-time': (r) => `${date(r)}T${time(r)}Z`,
  'iso-date-time': (r) => `${date(r)}T${time(r)}Z`,
  date,
  time: (r) => `${time(r)}Z`,
  'iso-time': (r) => `${time(r)}Z`,
  duration: (r) => `P${r.int(1, 30)}DT${r.int(1, 23)}H`,
  email: (r) => `${r.pick(WORDS)}.${r.pick(WORDS)}${r.int(1, 99)}@example.com`,
  'idn-email': (r) => `${r.pick(WORDS)}${r.int(1, 99)}@example.com`,
  hostname: (r) => `${r.pick(WORDS)}${r.int(1, 99)}.example.com`,
  'idn-hostname': (r) => `${r.pick(WORDS)}.example.com`,
  ipv4: (r) => `192.0.2.${r.int(1, 254)}`,
  ipv6: (r) => `2001:db8::${r.int(1, 0xffff).toString(16)}`,
  uri: (r) => `https://example.com/${r.pick(WORDS)}/${r.int(1, 99999)}`,
  url: (r) => `https://example.com/${r.pick(WORDS)}/${r.int(1, 99999)}`,
  iri: (r) => `https://example.com/${r.pick(WORDS)}/${r.int(1, 99999)}`,
  'uri-reference': (r) => `/${r.pick(WORDS)}/${r.int(1, 99999)}`,
  'iri-reference': (r) => `/${r.pick(WORDS)}/${r.int(1, 99999)}`,
  'uri-template': (r) => `https://example.com/${r.pick(WORDS)}/{id}`,
  uuid,
  guid: uuid,
  regex: () => '^[a-z]+$',
  'json-pointer': (r) => `/${r.pick(WORDS)}/${r.int(0, 9)}`,
  'json-pointer-uri-fragment': (r) => `#/${r.pick(WORDS)}/${r.int(0, 9)}`,
  'relative-json-pointer': (r) => `${r.int(0, 3)}/${r.pick(WORDS)}`,
  // RFC 4648 §4 with padding (recon's `byte` check).
  byte: (r) => base64(r, r.int(3, 24)),
  base64: (r) => base64(r, r.int(3, 24)),
};

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Words joined to a length in [minLength, maxLength], cut at a code point. */
function words(random: Random, minLength: number, maxLength: number): string {
  const target = Math.min(maxLength, Math.max(minLength, random.int(4, 16)));
  let out = random.pick(WORDS);
  while (out.length < target) out += ` ${random.pick(WORDS)}`;
  return out.slice(0, target);
}

/**
 * A string within the constraints, or undefined when none was found (a complex pattern, a
 * format whose values cannot fit the length bounds).
 * @example sampleString(random, { minLength: 3, maxLength: 3, patterns: [/^[A-Z]{3}$/u] }) // 'NOK'-like
 */
export function sampleString(random: Random, constraints: StringConstraints): string | undefined {
  const { minLength, maxLength, patterns, format } = constraints;
  if (minLength > maxLength) return undefined;
  const fits = (s: string): boolean => {
    const n = codePoints(s);
    return n >= minLength && n <= maxLength && patterns.every((p) => p.test(s));
  };
  const formatted = format === undefined ? undefined : FORMATS[format];
  if (formatted !== undefined) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const candidate = formatted(random);
      if (fits(candidate)) return candidate;
    }
    if (format === 'byte' || format === 'base64') return fitBase64(minLength, maxLength, fits);
    return undefined;
  }
  if (patterns.length > 0) {
    const generate = compilePattern(patterns[0]!.source);
    if (generate === undefined) return undefined;
    for (let attempt = 0; attempt < 24; attempt++) {
      const candidate = generate(random, Math.floor(attempt / 3));
      if (fits(candidate)) return candidate;
    }
    return undefined;
  }
  const candidate = words(random, minLength, maxLength);
  if (fits(candidate)) return candidate;
  return 'x'.repeat(minLength);
}

/** Base64 of the length the bounds ask for: a multiple of 4 characters. */
function fitBase64(minLength: number, maxLength: number, fits: (s: string) => boolean): string | undefined {
  const length = Math.ceil(minLength / 4) * 4;
  if (length > maxLength) return undefined;
  const candidate = BASE64_CHARS.repeat(Math.ceil(length / 64) + 1).slice(0, length);
  return fits(candidate) ? candidate : undefined;
}
