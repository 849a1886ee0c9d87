/** SandboxOptions, checked once and with every default written out. */
import { UsageError } from '../errors.js';
import type { Release } from './data/release.js';
import { DEMO_CREDENTIALS, type SandboxCredentials } from './auth.js';
import type { DeliveryFaultSettings } from './delivery-faults.js';

export interface SandboxOptions {
  /** 0 picks an ephemeral port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed of the generated data and the fault schedule. Default 42. */
  seed?: number;
  /** The vendor release to emulate. Default 1. */
  release?: Release;
  /** Seeded 503s and slow responses. Default true. */
  faults?: boolean;
  /** Latency added to every response, in ms. Default 0. */
  latencyMs?: number;
  /** Requests per minute each client may make (the document says 100). Default 60. */
  rateLimitPerMinute?: number;
  /** false: no limit at all and no X-RateLimit-* headers (load and crash tests). Default true. */
  rateLimit?: boolean;
  /**
   * Seeded failures of `POST /invoices` and `POST /orders` (503, HTML 500, slow after the
   * create, connection dropped after the create), `rate` split evenly across the four.
   * `seed` defaults to `seed`, `slowMs` to 3000. Default: off.
   */
  deliveryFaults?: { rate: number; seed?: number; slowMs?: number };
  /** Credentials other than the demo ones (tests plant canary secrets). Default DEMO_CREDENTIALS. */
  credentials?: Partial<SandboxCredentials>;
  /** Milliseconds since the epoch; drives rate-limit windows and token expiry. Default Date.now. */
  clock?: () => number;
}

export interface SandboxSettings {
  port: number;
  host: string;
  seed: number;
  release: Release;
  faults: boolean;
  latencyMs: number;
  rateLimitPerMinute: number;
  rateLimit: boolean;
  /** Rate 0 when the option is absent: off. */
  deliveryFaults: DeliveryFaultSettings;
  credentials: SandboxCredentials;
  clock: () => number;
}

export const SANDBOX_DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  seed: 42,
  release: 1,
  faults: true,
  latencyMs: 0,
  rateLimitPerMinute: 60,
  rateLimit: true,
} as const satisfies Omit<SandboxSettings, 'clock' | 'credentials' | 'deliveryFaults'>;

/** A typical client timeout is shorter, so a `slow` create leaves its outcome unknown. */
export const DELIVERY_FAULT_DEFAULTS = { rate: 0, slowMs: 3000 } as const;

export function normalizeSandboxOptions(options: SandboxOptions = {}): SandboxSettings {
  const port = options.port ?? SANDBOX_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('port', 'an integer from 0 to 65535', port);
  const host = options.host ?? SANDBOX_DEFAULTS.host;
  if (typeof host !== 'string' || host.trim() === '') fail('host', 'a host name or IP address', host);
  const seed = options.seed ?? SANDBOX_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) fail('seed', 'an integer', seed);
  const release = options.release ?? SANDBOX_DEFAULTS.release;
  if (release !== 1 && release !== 2) fail('release', '1 or 2', release);
  const faults = options.faults ?? SANDBOX_DEFAULTS.faults;
  if (typeof faults !== 'boolean') fail('faults', 'true or false', faults);
  const latencyMs = options.latencyMs ?? SANDBOX_DEFAULTS.latencyMs;
  if (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 60_000) fail('latencyMs', 'a number of ms from 0 to 60000', latencyMs);
  const rateLimitPerMinute = options.rateLimitPerMinute ?? SANDBOX_DEFAULTS.rateLimitPerMinute;
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 1) fail('rateLimitPerMinute', 'a whole number of requests per minute, at least 1', rateLimitPerMinute);
  const rateLimit = options.rateLimit ?? SANDBOX_DEFAULTS.rateLimit;
  if (typeof rateLimit !== 'boolean') fail('rateLimit', 'true or false', rateLimit);
  const deliveryFaults = normalizeDeliveryFaults(options.deliveryFaults, seed);
  const credentials = { ...DEMO_CREDENTIALS, ...options.credentials };
  for (const [name, value] of Object.entries(credentials)) if (typeof value !== 'string' || value === '') fail(`credentials.${name}`, 'a non-empty string', value);
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') fail('clock', 'a function returning milliseconds', clock);
  return { port, host, seed, release, faults, latencyMs, rateLimitPerMinute, rateLimit, deliveryFaults, credentials, clock };
}

function normalizeDeliveryFaults(option: SandboxOptions['deliveryFaults'], seed: number): DeliveryFaultSettings {
  if (option === undefined) return { rate: DELIVERY_FAULT_DEFAULTS.rate, seed, slowMs: DELIVERY_FAULT_DEFAULTS.slowMs };
  if (typeof option !== 'object' || option === null) fail('deliveryFaults', 'an object { rate, seed?, slowMs? }', option);
  const { rate } = option;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) fail('deliveryFaults.rate', 'a number from 0 to 1', rate);
  const faultSeed = option.seed ?? seed;
  if (!Number.isSafeInteger(faultSeed)) fail('deliveryFaults.seed', 'an integer', faultSeed);
  const slowMs = option.slowMs ?? DELIVERY_FAULT_DEFAULTS.slowMs;
  if (!Number.isFinite(slowMs) || slowMs < 0 || slowMs > 60_000) fail('deliveryFaults.slowMs', 'a number of ms from 0 to 60000', slowMs);
  return { rate, seed: faultSeed, slowMs };
}

function fail(option: string, expected: string, got: unknown): never {
  throw new UsageError(`sandbox option "${option}" must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`, {
    code: 'RECON_SANDBOX_OPTION',
  });
}
