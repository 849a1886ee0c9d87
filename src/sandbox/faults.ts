/**
 * Seeded faults: occasional 503s on list calls and slow responses anywhere.
 *
 * Whether call number n of a route fails is a pure function of (seed, route, n), so a
 * re-run with the same seed and the same request sequence sees the same faults.
 */
import { deriveSeed, mulberry32 } from './prng.js';
import type { ApiResponse } from './respond.js';

export const FAULT_RATES = Object.freeze({ unavailable: 0.03, slow: 0.03 });
export const SLOW_DELAY_MS = Object.freeze({ min: 300, max: 800 });

export type FaultPlan =
  | { kind: 'none' }
  | { kind: 'unavailable'; body: 'json' | 'html'; retryAfterSeconds: number }
  | { kind: 'slow'; delayMs: number };

/**
 * The fault for the `sequence`-th (0-based) call of `route` (`GET /customers`).
 * Only list calls may get a 503; any call may be slow.
 */
export function planFault(seed: number, route: string, sequence: number, isList: boolean): FaultPlan {
  const draw = mulberry32(deriveSeed(seed, `fault:${route}:${sequence}`));
  const unavailable = draw();
  const slow = draw();
  const detail = draw();
  if (isList && unavailable < FAULT_RATES.unavailable) {
    return { kind: 'unavailable', body: detail < 0.5 ? 'json' : 'html', retryAfterSeconds: 1 + Math.floor(draw() * 3) };
  }
  if (slow < FAULT_RATES.slow) {
    return { kind: 'slow', delayMs: SLOW_DELAY_MS.min + Math.floor(detail * (SLOW_DELAY_MS.max - SLOW_DELAY_MS.min + 1)) };
  }
  return { kind: 'none' };
}

/** Counts calls per route and hands out their planned faults. */
export class FaultSchedule {
  readonly #sequences = new Map<string, number>();

  constructor(
    private readonly seed: number,
    private readonly enabled: boolean,
  ) {}

  next(route: string, isList: boolean): FaultPlan {
    if (!this.enabled) return { kind: 'none' };
    const sequence = this.#sequences.get(route) ?? 0;
    this.#sequences.set(route, sequence + 1);
    return planFault(this.seed, route, sequence, isList);
  }
}

const HTML_503 =
  '<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n' +
  '<body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>\n';

/** The 503 as the vendor's gateway sends it: sometimes problem JSON, sometimes nginx HTML. */
export function unavailableResponse(plan: Extract<FaultPlan, { kind: 'unavailable' }>): ApiResponse {
  const headers = { 'Retry-After': String(plan.retryAfterSeconds) };
  if (plan.body === 'html') return { status: 503, headers, text: HTML_503, contentType: 'text/html' };
  return {
    status: 503,
    headers,
    contentType: 'application/problem+json',
    json: {
      type: 'https://developer.acme-erp.example/problems/service-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The service is temporarily overloaded. Try again later.',
    },
  };
}
