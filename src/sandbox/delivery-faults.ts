/**
 * Delivery faults: the sandbox as a hostile target for a connector pushing creates.
 *
 * Off by default. With `deliveryFaults: { rate }`, a share `rate` of `POST /invoices` and
 * `POST /orders` calls fails, split evenly across four kinds — the ways a real vendor loses
 * or seems to lose a write:
 *
 * - `unavailable`: 503 + `Retry-After: 1` before anything happens (nothing created);
 * - `server-error`: 500 with an HTML body before anything happens (nothing created);
 * - `slow`: the resource IS created, then the answer waits `slowMs` (the client times out,
 *   so the outcome is unknown to it);
 * - `dropped`: the resource IS created, then the socket is destroyed without a response.
 *
 * As with planFault, whether call n of a route fails is a pure function of
 * (seed, route, n), under its own seed label so the existing fault schedule is unchanged.
 */
import { unavailableResponse } from './faults.js';
import { deriveSeed, mulberry32 } from './prng.js';
import type { ApiResponse } from './respond.js';

export const DELIVERY_FAULT_KINDS = ['unavailable', 'server-error', 'slow', 'dropped'] as const;
export type DeliveryFaultKind = (typeof DELIVERY_FAULT_KINDS)[number];

/** The routes a connector pushes to (`routeKey` form). */
export const DELIVERY_ROUTES: ReadonlySet<string> = new Set(['POST /invoices', 'POST /orders']);

export interface DeliveryFaultSettings {
  /** Share of create calls that fail, 0..1; 0 turns delivery faults off. */
  rate: number;
  seed: number;
  /** How long a `slow` answer waits after the create, in ms. */
  slowMs: number;
}

/** What to do with one create call: a kind, or nothing. */
export type DeliveryFaultPlan = DeliveryFaultKind | 'none';

/** The fault for the `sequence`-th (0-based) call of `route`: one draw, split in four equal bands. */
export function planDeliveryFault(seed: number, route: string, sequence: number, rate: number): DeliveryFaultPlan {
  const draw = mulberry32(deriveSeed(seed, `delivery-fault:${route}:${sequence}`))();
  if (draw >= rate) return 'none';
  const band = Math.min(DELIVERY_FAULT_KINDS.length - 1, Math.floor((draw / rate) * DELIVERY_FAULT_KINDS.length));
  return DELIVERY_FAULT_KINDS[band] ?? 'none';
}

/** Counts create calls per route and hands out their planned delivery faults. */
export class DeliveryFaultSchedule {
  readonly #sequences = new Map<string, number>();

  constructor(private readonly settings: DeliveryFaultSettings) {}

  next(route: string): DeliveryFaultPlan {
    if (this.settings.rate <= 0 || !DELIVERY_ROUTES.has(route)) return 'none';
    const sequence = this.#sequences.get(route) ?? 0;
    this.#sequences.set(route, sequence + 1);
    return planDeliveryFault(this.settings.seed, route, sequence, this.settings.rate);
  }
}

/** 503 before the create: the one answer a client may always retry blindly. */
export function unavailableBeforeCreate(): ApiResponse {
  return unavailableResponse({ kind: 'unavailable', body: 'json', retryAfterSeconds: 1 });
}

const HTML_500 =
  '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n' +
  '<body><h1>Internal Server Error</h1><p>The server encountered an internal error and was unable to complete your request.</p></body></html>\n';

/** The application server's own error page: labelled HTML, not the documented problem+json. */
export function htmlServerError(): ApiResponse {
  return { status: 500, text: HTML_500, contentType: 'text/html; charset=utf-8' };
}
