/**
 * The fault spec of the fault-injecting proxy: which faults, how often, on which requests.
 *
 * Two spellings, one meaning. Inline (a flag value):
 *
 *   reset-before=0.05,lost=0.05,timeout=0.02,slow=0.01:1,truncate=0.02,html500=0.05,
 *   storm=0.01:5:retry-after=1,wrong-type=0.02,method=POST,path=*\/invoices
 *
 * or a YAML/JSON file with the same keys (`faults:` holds the kinds, options as objects):
 *
 *   method: [POST]
 *   path: ["*\/invoices"]
 *   faults:
 *     lost: 0.05
 *     storm: { rate: 0.01, length: 5, retryAfter: 1 }
 *
 * Every rate is the share 0..1 of matching requests that get that fault; the rates add up to
 * at most 1. Every mistake names the key it is about.
 */
import { UsageError } from '../../errors.js';

export const FAULT_KINDS = ['reset-before', 'lost', 'timeout', 'slow', 'truncate', 'html500', 'storm', 'wrong-type'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type WrongTypeMode = 'json-as-html' | 'html-as-json' | 'both';

export interface FaultSpec {
  /** Share 0..1 of matching requests per kind (0: off). */
  rates: Record<FaultKind, number>;
  /** Only requests with one of these methods (upper case) get faults; empty: every method. */
  methods: string[];
  /** Only requests whose path (no query) matches one of these globs (`*` is any text); empty: every path. */
  paths: string[];
  /** `timeout`: forward the request to the vendor first (it acts on it), then never answer. */
  timeoutProcessed: boolean;
  /** `slow`: bytes per second the answer's body trickles at. */
  slowBytesPerSecond: number;
  /** `html500`: the status of the HTML error page (500..599). */
  html500Status: number;
  /** `html500`: forward the request first (the vendor acted on it, then the gateway failed). */
  html500Processed: boolean;
  /** `storm`: how many consecutive matching requests get 429, the first included. */
  stormLength: number;
  /** `storm`: Retry-After seconds on every 429 of the storm; undefined: no Retry-After. */
  stormRetryAfterSeconds: number | undefined;
  wrongTypeMode: WrongTypeMode;
  /** Seed from the file (`seed:`) or inline (`seed=N`); the caller's seed wins. */
  seed: number | undefined;
}

/** Every default in one place: what a kind does when the spec only gives its rate. */
export const FAULT_SPEC_DEFAULTS = {
  timeoutProcessed: false,
  slowBytesPerSecond: 1,
  html500Status: 500,
  html500Processed: false,
  stormLength: 5,
  stormRetryAfterSeconds: undefined,
  wrongTypeMode: 'both',
} as const satisfies Partial<FaultSpec>;

export class FaultSpecError extends UsageError {
  constructor(where: string, key: string, message: string) {
    super(`${where}: ${key}: ${message}`, {
      code: 'RECON_FAULT_SPEC',
      hint: 'A fault spec is kind=rate pairs, e.g. "lost=0.05,storm=0.01:5:retry-after=1", or a YAML/JSON file; every kind and option: recon proxy --help.',
    });
  }
}

/**
 * An empty spec: no fault, every request passes.
 * @example emptyFaultSpec().rates.lost; // 0
 */
export function emptyFaultSpec(): FaultSpec {
  return {
    rates: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
    methods: [],
    paths: [],
    ...FAULT_SPEC_DEFAULTS,
    seed: undefined,
  };
}

type Options = Record<string, string | number | boolean>;

/**
 * Parse an inline spec. `where` names its source in errors (`--faults`).
 *
 * @example
 * parseInlineFaultSpec('lost=0.05,storm=0.01:5:retry-after=1', '--faults').stormLength; // 5
 */
export function parseInlineFaultSpec(text: string, where: string): FaultSpec {
  const entries: [string, string][] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new FaultSpecError(where, part, 'expected key=value (e.g. lost=0.05)');
    entries.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  if (entries.length === 0) throw new FaultSpecError(where, '(empty)', 'no fault given');
  const raw: Record<string, unknown> = {};
  const faults: Record<string, Options> = {};
  for (const [key, value] of entries) {
    if (key in raw || key in faults) throw new FaultSpecError(where, key, 'given twice');
    if (key === 'method' || key === 'path') raw[key] = value.split('|').map((v) => v.trim()).filter((v) => v !== '');
    else if (key === 'seed') raw.seed = value;
    else if ((FAULT_KINDS as readonly string[]).includes(key)) faults[key] = inlineOptions(key as FaultKind, value, where);
    else throw new FaultSpecError(where, key, unknownKey(key));
  }
  return buildSpec({ ...raw, faults }, where, true);
}

/** Positional options after the rate, by kind: `storm=0.01:5` is a storm of 5. */
const POSITIONAL: Record<FaultKind, string | undefined> = {
  'reset-before': undefined,
  lost: undefined,
  timeout: undefined,
  slow: 'bytesPerSecond',
  truncate: undefined,
  html500: 'status',
  storm: 'length',
  'wrong-type': 'mode',
};
/** Inline option words (kebab-case) → file keys. */
const INLINE_KEYS: Record<string, string> = { 'retry-after': 'retryAfter', 'bytes-per-second': 'bytesPerSecond', length: 'length', status: 'status', mode: 'mode', processed: 'processed' };

function inlineOptions(kind: FaultKind, value: string, where: string): Options {
  const [rate, ...rest] = value.split(':').map((p) => p.trim());
  const options: Options = { rate: rate ?? '' };
  for (const option of rest) {
    const eq = option.indexOf('=');
    if (eq > 0) {
      const name = option.slice(0, eq);
      const key = INLINE_KEYS[name];
      if (key === undefined) throw new FaultSpecError(where, `${kind}:${name}`, `unknown option (${optionsOf(kind)})`);
      options[key] = option.slice(eq + 1);
    } else if (option === 'processed') {
      options.processed = true;
    } else if (kind === 'wrong-type' && /^[a-z-]+$/.test(option)) {
      options.mode = option;
    } else if (POSITIONAL[kind] !== undefined && !(POSITIONAL[kind] as string in options)) {
      options[POSITIONAL[kind] as string] = option;
    } else {
      throw new FaultSpecError(where, `${kind}:${option}`, `unexpected option (${optionsOf(kind)})`);
    }
  }
  return options;
}

const OPTIONS_BY_KIND: Record<FaultKind, string[]> = {
  'reset-before': [],
  lost: [],
  timeout: ['processed'],
  slow: ['bytesPerSecond'],
  truncate: [],
  html500: ['status', 'processed'],
  storm: ['length', 'retryAfter'],
  'wrong-type': ['mode'],
};

function optionsOf(kind: FaultKind, inline = true): string {
  const options = OPTIONS_BY_KIND[kind].map((o) => (inline ? o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) : o));
  return options.length === 0 ? `${kind} takes only a rate` : `${kind} takes: rate, ${options.join(', ')}`;
}

function unknownKey(key: string): string {
  return `unknown key (fault kinds: ${FAULT_KINDS.join(', ')}; filters: method, path; and seed)`;
}

/**
 * Validate a spec read from a YAML/JSON file (or an inline one turned into the same shape).
 *
 * @example
 * buildSpec({ faults: { lost: 0.1 }, method: ['POST'] }, 'faults.yaml').rates.lost; // 0.1
 */
export function buildSpec(value: unknown, where: string, inline = false): FaultSpec {
  if (!isObject(value)) throw new FaultSpecError(where, '(top level)', 'expected a mapping with "faults" (and optionally method, path, seed)');
  const spec = emptyFaultSpec();
  for (const key of Object.keys(value)) {
    if (!['faults', 'method', 'path', 'seed'].includes(key)) throw new FaultSpecError(where, key, unknownKey(key));
  }
  if (value.seed !== undefined) spec.seed = integer(value.seed, where, 'seed', 0, 2 ** 31 - 1);
  spec.methods = stringList(value.method, where, 'method').map((m) => m.toUpperCase());
  for (const m of spec.methods) if (!/^[A-Z]+$/.test(m)) throw new FaultSpecError(where, 'method', `"${m}" is not an HTTP method`);
  spec.paths = stringList(value.path, where, 'path');
  for (const p of spec.paths) if (!p.startsWith('/') && !p.startsWith('*')) throw new FaultSpecError(where, 'path', `"${p}" must start with / or * (it is matched against the request path)`);
  const faults = value.faults ?? {};
  if (!isObject(faults)) throw new FaultSpecError(where, 'faults', 'expected a mapping of fault kind to rate');
  const name = (kind: string, option?: string) => (inline ? `${kind}${option ? `:${option}` : ''}` : `faults.${kind}${option ? `.${option}` : ''}`);
  for (const [kind, given] of Object.entries(faults)) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new FaultSpecError(where, name(kind), unknownKey(kind));
    const k = kind as FaultKind;
    const options: Record<string, unknown> = isObject(given) ? given : { rate: given };
    for (const option of Object.keys(options)) {
      if (option !== 'rate' && !OPTIONS_BY_KIND[k].includes(option)) throw new FaultSpecError(where, name(kind, option), `unknown option (${optionsOf(k, inline)})`);
    }
    spec.rates[k] = number(options.rate, where, name(kind), 0, 1, 'a rate from 0 to 1');
    if (k === 'timeout' && options.processed !== undefined) spec.timeoutProcessed = boolean(options.processed, where, name(kind, 'processed'));
    if (k === 'slow' && options.bytesPerSecond !== undefined) spec.slowBytesPerSecond = integer(options.bytesPerSecond, where, name(kind, 'bytesPerSecond'), 1, 100_000_000);
    if (k === 'html500') {
      if (options.status !== undefined) spec.html500Status = integer(options.status, where, name(kind, 'status'), 500, 599);
      if (options.processed !== undefined) spec.html500Processed = boolean(options.processed, where, name(kind, 'processed'));
    }
    if (k === 'storm') {
      if (options.length !== undefined) spec.stormLength = integer(options.length, where, name(kind, 'length'), 1, 100_000);
      if (options.retryAfter !== undefined) spec.stormRetryAfterSeconds = integer(options.retryAfter, where, name(kind, inline ? 'retry-after' : 'retryAfter'), 0, 86_400);
    }
    if (k === 'wrong-type' && options.mode !== undefined) {
      const mode = String(options.mode);
      if (mode !== 'json-as-html' && mode !== 'html-as-json' && mode !== 'both') throw new FaultSpecError(where, name(kind, 'mode'), `"${mode}" is not a mode (json-as-html, html-as-json, both)`);
      spec.wrongTypeMode = mode;
    }
  }
  const total = FAULT_KINDS.reduce((sum, kind) => sum + spec.rates[kind], 0);
  if (total > 1 + 1e-9) throw new FaultSpecError(where, inline ? '(rates)' : 'faults', `the rates add up to ${Number(total.toFixed(6))}; at most 1`);
  return spec;
}

/**
 * The spec in the inline spelling, for messages and `--json` (round-trips through the parser).
 * @example formatFaultSpec(parseInlineFaultSpec('storm=0.01', 'x')); // 'storm=0.01:5'
 */
export function formatFaultSpec(spec: FaultSpec): string {
  const parts: string[] = [];
  for (const kind of FAULT_KINDS) {
    const rate = spec.rates[kind];
    if (rate === 0) continue;
    let text = `${kind}=${rate}`;
    if (kind === 'timeout' && spec.timeoutProcessed) text += ':processed';
    if (kind === 'slow') text += `:${spec.slowBytesPerSecond}`;
    if (kind === 'html500') text += `:${spec.html500Status}${spec.html500Processed ? ':processed' : ''}`;
    if (kind === 'storm') text += `:${spec.stormLength}${spec.stormRetryAfterSeconds === undefined ? '' : `:retry-after=${spec.stormRetryAfterSeconds}`}`;
    if (kind === 'wrong-type') text += `:${spec.wrongTypeMode}`;
    parts.push(text);
  }
  if (spec.methods.length > 0) parts.push(`method=${spec.methods.join('|')}`);
  if (spec.paths.length > 0) parts.push(`path=${spec.paths.join('|')}`);
  return parts.length === 0 ? 'none' : parts.join(',');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number(value: unknown, where: string, key: string, min: number, max: number, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw new FaultSpecError(where, key, `expected ${what}, got ${JSON.stringify(value ?? null)}`);
  return n;
}

function integer(value: unknown, where: string, key: string, min: number, max: number): number {
  const n = number(value, where, key, min, max, `a whole number from ${min} to ${max}`);
  if (!Number.isInteger(n)) throw new FaultSpecError(where, key, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

function boolean(value: unknown, where: string, key: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new FaultSpecError(where, key, `expected true or false, got ${JSON.stringify(value)}`);
}

function stringList(value: unknown, where: string, key: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' && v.trim() !== '')) throw new FaultSpecError(where, key, 'expected a string or a list of strings');
  return list.map((v: string) => v.trim());
}
