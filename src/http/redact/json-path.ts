/**
 * Configured body paths (`customer.ssn`, `items[*].iban`, `**.password`, `/customer/ssn`),
 * matched while a body is walked. Each pattern is a list of steps; the walker carries the set of
 * (pattern, step) states that the path so far has reached, so matching costs the same at depth
 * 1 and depth 10,000 (no re-matching of the whole path at each value).
 */
import { UsageError } from '../../errors.js';

type Step =
  | { kind: 'key'; name: string }
  | { kind: 'index'; index: number }
  /** A JSON pointer token such as `0`: an object key or an array index (RFC 6901 §4). */
  | { kind: 'keyOrIndex'; name: string }
  /** `*`: any one key or index. */
  | { kind: 'any' }
  /** `[*]`: any one array index. */
  | { kind: 'anyIndex' }
  /** `**`: any number of keys or indices, none included. */
  | { kind: 'deep' };

/**
 * A set of reached (pattern, step) pairs. Sets are interned and remember their transitions, so
 * walking a large body costs a map lookup per key rather than re-stepping every pattern.
 */
export class PathStates {
  /** Next sets by object key / array index; capped so a map keyed by ids cannot grow it without bound. */
  readonly byKey = new Map<string, PathStates>();
  readonly byIndex = new Map<number, PathStates>();
  /** Set when the next set is the same for every key (or every index). */
  anyKey: PathStates | undefined;
  anyIndex: PathStates | undefined;

  constructor(
    /** `pattern * STEP_LIMIT + step`, sorted. */
    readonly ids: readonly number[],
    /** Some pattern ends here: the value at this path is redacted. */
    readonly accepting: boolean,
    /** Whether the next set depends on which key / which index it is. */
    readonly keySensitive: boolean,
    readonly indexSensitive: boolean,
  ) {}
}

const STEP_LIMIT = 1024;
const CACHE_LIMIT = 4096;

export class PathMatcher {
  /** States before any key: the body's root. */
  readonly root: PathStates;
  readonly none: PathStates = new PathStates([], false, false, false);
  private readonly patterns: Step[][];
  private readonly interned = new Map<string, PathStates>();

  constructor(paths: readonly string[]) {
    this.patterns = paths.map(parsePath);
    const root: number[] = [];
    this.patterns.forEach((_, p) => this.addClosed(root, p, 0));
    this.root = this.intern(root);
  }

  /** True when no path is configured: nothing in a body is redacted by its position. */
  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** The states after stepping into `segment` (an object key or an array index). */
  next(states: PathStates, segment: string | number): PathStates {
    if (states === this.none) return states;
    if (typeof segment === 'number') {
      if (!states.indexSensitive) return (states.anyIndex ??= this.step(states, segment));
      const known = states.byIndex.get(segment);
      if (known !== undefined) return known;
      const next = this.step(states, segment);
      if (states.byIndex.size < CACHE_LIMIT) states.byIndex.set(segment, next);
      return next;
    }
    if (!states.keySensitive) return (states.anyKey ??= this.step(states, segment));
    const known = states.byKey.get(segment);
    if (known !== undefined) return known;
    const next = this.step(states, segment);
    if (states.byKey.size < CACHE_LIMIT) states.byKey.set(segment, next);
    return next;
  }

  private step(states: PathStates, segment: string | number): PathStates {
    const out: number[] = [];
    for (const state of states.ids) {
      const p = Math.floor(state / STEP_LIMIT);
      const i = state % STEP_LIMIT;
      const step = this.patterns[p]![i];
      if (step === undefined) continue;
      if (step.kind === 'deep') this.addClosed(out, p, i);
      else if (matches(step, segment)) this.addClosed(out, p, i + 1);
    }
    return this.intern(out);
  }

  private intern(ids: number[]): PathStates {
    if (ids.length === 0) return this.none;
    ids.sort((a, b) => a - b);
    const key = ids.join(',');
    let states = this.interned.get(key);
    if (states === undefined) {
      const steps = ids.map((id) => this.patterns[Math.floor(id / STEP_LIMIT)]![id % STEP_LIMIT]);
      const accepting = ids.some((id) => id % STEP_LIMIT === this.patterns[Math.floor(id / STEP_LIMIT)]!.length);
      const keySensitive = steps.some((step) => step?.kind === 'key' || step?.kind === 'keyOrIndex');
      const indexSensitive = steps.some((step) => step?.kind === 'index' || step?.kind === 'keyOrIndex');
      states = new PathStates(ids, accepting, keySensitive, indexSensitive);
      this.interned.set(key, states);
    }
    return states;
  }

  /** Adds (p, i) and, across `**` steps, the states reachable without consuming a segment. */
  private addClosed(out: number[], p: number, i: number): void {
    const steps = this.patterns[p]!;
    for (let j = i; j <= steps.length; j++) {
      const state = p * STEP_LIMIT + j;
      if (!out.includes(state)) out.push(state);
      if (steps[j]?.kind !== 'deep') return;
    }
  }
}

function matches(step: Step, segment: string | number): boolean {
  switch (step.kind) {
    case 'key':
      return segment === step.name;
    case 'index':
      return segment === step.index;
    case 'keyOrIndex':
      return String(segment) === step.name;
    case 'any':
      return true;
    case 'anyIndex':
      return typeof segment === 'number';
    case 'deep':
      return true;
  }
}

/** Parses one configured path; a malformed one is a configuration error that names it. */
export function parsePath(path: string): Step[] {
  const steps = path.startsWith('/') ? parsePointerPath(path) : parseDotPath(path);
  if (steps.length === 0 || steps.length >= STEP_LIMIT) throw badPath(path, 'it names no field');
  return steps;
}

function parsePointerPath(path: string): Step[] {
  return path
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((token): Step => {
      if (token === '**') return { kind: 'deep' };
      if (token === '*') return { kind: 'any' };
      return /^(0|[1-9]\d*)$/.test(token) ? { kind: 'keyOrIndex', name: token } : { kind: 'key', name: token };
    });
}

function parseDotPath(path: string): Step[] {
  const steps: Step[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  let expectName = i === 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      if (expectName) throw badPath(path, `empty name at character ${i + 1}`);
      expectName = true;
      i++;
    } else if (c === '[') {
      const end = path.indexOf(']', i);
      if (end === -1) throw badPath(path, `unclosed [ at character ${i + 1}`);
      steps.push(bracketStep(path, path.slice(i + 1, end)));
      expectName = false;
      i = end + 1;
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      const name = path.slice(i, end);
      steps.push(name === '**' ? { kind: 'deep' } : name === '*' ? { kind: 'any' } : { kind: 'key', name });
      expectName = false;
      i = end;
    }
  }
  if (expectName && steps.length > 0) throw badPath(path, 'it ends with a dot');
  return steps;
}

function bracketStep(path: string, inner: string): Step {
  if (inner === '*') return { kind: 'anyIndex' };
  if (/^(0|[1-9]\d*)$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/s.exec(inner);
  if (quoted) return { kind: 'key', name: quoted[2]! };
  throw badPath(path, `[${inner}] is neither an index, [*], nor a quoted name`);
}

function badPath(path: string, why: string): UsageError {
  return new UsageError(`redaction.jsonPaths: "${path}" is not a valid path: ${why}`, {
    code: 'RECON_REDACTION_PATH',
    hint: 'write paths like customer.ssn, items[*].iban, **.password or /customer/ssn',
  });
}
