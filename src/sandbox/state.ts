/** Everything one running sandbox remembers between requests. */
import { TokenStore } from './auth.js';
import { createDataset, type Dataset } from './data/index.js';
import { DeliveryFaultSchedule } from './delivery-faults.js';
import { FaultSchedule } from './faults.js';
import type { SandboxSettings } from './options.js';
import { FixedWindowRateLimiter } from './rate-limit.js';
import { StatsRecorder } from './stats.js';

export interface StoredReplay {
  /** The request body the key was first used with. */
  fingerprint: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface SandboxState {
  settings: SandboxSettings;
  data: Dataset;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl: string;
  tokens: TokenStore;
  limiter: FixedWindowRateLimiter;
  faults: FaultSchedule;
  /** Off (never fires) unless the deliveryFaults option is set. */
  deliveryFaults: DeliveryFaultSchedule;
  stats: StatsRecorder;
  /** Idempotency-Key → first response, for POST /orders only. */
  orderReplays: Map<string, StoredReplay>;
  /** Every HTTP request received, whatever its path or outcome. */
  requestCount: number;
  /** Creates so far; seeds the ids of created records so they are reproducible too. */
  createCount: number;
}

export function createSandboxState(settings: SandboxSettings): SandboxState {
  return {
    settings,
    data: createDataset(settings.seed, settings.release),
    baseUrl: '',
    tokens: new TokenStore(settings.clock, settings.credentials),
    limiter: new FixedWindowRateLimiter(settings.clock, settings.rateLimitPerMinute),
    faults: new FaultSchedule(settings.seed, settings.faults),
    deliveryFaults: new DeliveryFaultSchedule(settings.deliveryFaults),
    stats: new StatsRecorder(),
    orderReplays: new Map(),
    requestCount: 0,
    createCount: 0,
  };
}
