/**
 * One call at a time, observed: the measurement's only way to reach the vendor. It keeps the
 * budget, the deadline and the pace, and turns every exchange into an `Observation` whose
 * outcome says whether the vendor answered, refused (429, 503 + Retry-After, a connection
 * closed instead of answered) or the call failed.
 */
import { sendWithAuth, type AuthProvider } from '../../http/auth/index.js';
import type { HttpClient } from '../../http/client.js';
import { headerValue } from '../../http/headers.js';
import type { Exchange } from '../../http/types.js';
import { parseRateLimitHeaders } from '../headers.js';
import type { RateLimitHeaders } from '../types.js';
import type { LimitsOperation, MeasureSettings } from './options.js';

export type RefusalKind = 'status429' | 'status503' | 'connectionClosed';

export interface Observation {
  /** 1-based, among the calls the measurement made. */
  index: number;
  operation: string;
  /** Wall clock (ms) when the call was sent. */
  at: number;
  latencyMs: number;
  status?: number;
  failureCode?: string;
  outcome: 'answered' | 'refused' | 'failed';
  refusal?: RefusalKind;
  retryAfterSeconds?: number;
  headers: RateLimitHeaders;
}

/** Transport codes of a connection the server closed (or reset) instead of answering. */
const CLOSED_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

export class LimitsCaller {
  readonly observations: Observation[] = [];
  /** Why no more calls may start, once that is so. */
  stopped: string | undefined;
  /** Requests on the wire so far (token requests included), kept by the recording client. */
  spent = 0;
  private nextAt = 0;
  private readonly deadline: number;
  private readonly aborted: Promise<void>;

  constructor(
    private readonly client: HttpClient,
    private readonly auth: AuthProvider,
    private readonly settings: MeasureSettings & { budget: number },
    private readonly signal: AbortSignal | undefined,
    readonly startedAt: number,
  ) {
    this.deadline = startedAt + settings.maxDurationMs;
    this.aborted = new Promise((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  get remaining(): number {
    return Math.max(0, this.settings.budget - this.spent);
  }

  timeLeftMs(): number {
    return this.deadline - this.settings.now();
  }

  /** True when another call may start now; otherwise `stopped` says why. */
  canCall(): boolean {
    if (this.signal?.aborted) this.stopped ??= 'interrupted (Ctrl-C): no new calls started';
    else if (this.remaining <= 0) this.stopped ??= `budget of ${this.settings.budget} requests spent`;
    else if (this.timeLeftMs() <= 0) this.stopped ??= `--max-duration of ${Math.round(this.settings.maxDurationMs / 1000)} s reached`;
    return this.stopped === undefined;
  }

  /** Sleep until the clock reads `at`; false (without sleeping past it) when the deadline or an interrupt comes first. */
  async waitUntil(at: number): Promise<boolean> {
    const wait = at - this.settings.now();
    if (at > this.deadline) return false;
    if (wait > 0) await Promise.race([this.settings.sleep(wait), this.aborted]);
    return !this.signal?.aborted;
  }

  /** Call `operation` no sooner than `1/ratePerSecond` after the previous paced call. */
  async paced(operation: LimitsOperation, ratePerSecond: number, purpose: string): Promise<Observation | undefined> {
    const at = Math.max(this.nextAt, this.settings.now());
    if (!(await this.waitUntil(at))) {
      if (this.canCall()) this.stopped = `--max-duration of ${Math.round(this.settings.maxDurationMs / 1000)} s reached`;
      return undefined;
    }
    this.nextAt = Math.max(at, this.settings.now()) + 1000 / ratePerSecond;
    return this.call(operation, purpose);
  }

  /** One call now; undefined (without calling) when the budget, the deadline or an interrupt forbid it. */
  async call(operation: LimitsOperation, purpose: string): Promise<Observation | undefined> {
    if (!this.canCall()) return undefined;
    const at = this.settings.now();
    const meta = { purpose, operation: operationMeta(operation) };
    const exchange = await sendWithAuth(this.client, this.auth, operation.request, meta);
    const observation = observe(exchange, operation.label, this.observations.length + 1, at, this.settings.now());
    this.observations.push(observation);
    return observation;
  }
}

function operationMeta(operation: LimitsOperation): { method: string; path: string; operationId?: string } {
  const [method = 'GET', path = '/'] = operation.label.split(' ', 2);
  return { method, path, ...(operation.operationId !== undefined ? { operationId: operation.operationId } : {}) };
}

/** What one exchange says about the limit. */
export function observe(exchange: Exchange, operation: string, index: number, at: number, now: number): Observation {
  const response = exchange.response;
  const headers = response ? parseRateLimitHeaders(response.headers, new Date(now)) : { readings: [], problems: [] };
  const base = { index, operation, at, latencyMs: Math.round(exchange.time * 10) / 10, headers };
  const retryAfter = headers.retryAfterSeconds ?? retryAfterSeconds(headerValue(response?.headers, 'retry-after'), now);
  const withRetry = retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter };
  if (response === undefined) {
    const code = exchange.failure?.code ?? 'ERR_UNKNOWN';
    if (CLOSED_CODES.has(code)) return { ...base, failureCode: code, outcome: 'refused', refusal: 'connectionClosed' };
    return { ...base, failureCode: code, outcome: 'failed' };
  }
  // RFC 6585 §4: 429 Too Many Requests. RFC 9110 §15.6.4: a 503 with Retry-After is the
  // server asking for room, which many gateways use for rate limiting.
  if (response.status === 429) return { ...base, status: 429, outcome: 'refused', refusal: 'status429', ...withRetry };
  if (response.status === 503 && retryAfter !== undefined) return { ...base, status: 503, outcome: 'refused', refusal: 'status503', ...withRetry };
  return { ...base, status: response.status, outcome: 'answered', ...withRetry };
}

/** RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date; seconds from `now`. */
function retryAfterSeconds(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}
