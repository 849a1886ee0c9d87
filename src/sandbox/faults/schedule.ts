/**
 * The seeded fault schedule: which fault the n-th matching request gets.
 *
 * One draw per matching request, `mulberry32(deriveSeed(seed, 'proxy:n'))`, falls in one band
 * of the cumulative rates (kinds in FAULT_KINDS order) or past them (no fault). The same seed
 * and spec give the same list of faults, request by request, whatever the timing. A storm is
 * the exception that makes it a schedule rather than independent draws: once drawn, the next
 * `stormLength - 1` matching requests get 429 too, without a draw of their own.
 */
import { deriveSeed, mulberry32 } from '../prng.js';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './spec.js';

export type ProxyFaultPlan =
  | { kind: 'none' }
  | { kind: Exclude<FaultKind, 'wrong-type'> }
  | { kind: 'wrong-type'; mode: 'json-as-html' | 'html-as-json' };

/**
 * The fault of matching request `n` (0-based), ignoring storms in progress.
 *
 * @example
 * planProxyFault(spec, 42, 0); // { kind: 'lost' } or { kind: 'none' }…
 */
export function planProxyFault(spec: FaultSpec, seed: number, n: number): ProxyFaultPlan {
  const draw = mulberry32(deriveSeed(seed, `proxy:${n}`))();
  let upper = 0;
  for (const kind of FAULT_KINDS) {
    upper += spec.rates[kind];
    if (spec.rates[kind] > 0 && draw < upper) {
      if (kind !== 'wrong-type') return { kind };
      const mode = spec.wrongTypeMode === 'both' ? (mulberry32(deriveSeed(seed, `proxy:${n}:mode`))() < 0.5 ? 'json-as-html' : 'html-as-json') : spec.wrongTypeMode;
      return { kind, mode };
    }
  }
  return { kind: 'none' };
}

/**
 * Whether a request is one faults may hit (method and path filters).
 * @example matchesFilters(parseInlineFaultSpec('lost=1,method=POST,path=*\/invoices', 'x'), 'POST', '/api/v1/invoices'); // true
 */
export function matchesFilters(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.methods.length > 0 && !spec.methods.includes(method.toUpperCase())) return false;
  if (spec.paths.length === 0) return true;
  return spec.paths.some((glob) => globToRegExp(glob).test(path));
}

const globs = new Map<string, RegExp>();
function globToRegExp(glob: string): RegExp {
  let re = globs.get(glob);
  if (re === undefined) {
    re = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    globs.set(glob, re);
  }
  return re;
}

/** Hands out the plan of each matching request in arrival order, storms included. */
export class ProxyFaultSchedule {
  #next = 0;
  #stormLeft = 0;

  constructor(
    private readonly spec: FaultSpec,
    private readonly seed: number,
  ) {}

  next(): ProxyFaultPlan {
    const n = this.#next++;
    if (this.#stormLeft > 0) {
      this.#stormLeft--;
      return { kind: 'storm' };
    }
    const plan = planProxyFault(this.spec, this.seed, n);
    if (plan.kind === 'storm') this.#stormLeft = this.spec.stormLength - 1;
    return plan;
  }
}
