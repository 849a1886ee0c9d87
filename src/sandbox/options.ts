/** SandboxOptions, checked once and with every default written out. */
import { UsageError } from '../errors.js';
import type { Release } from './data/release.js';
import { DEMO_CREDENTIALS, type SandboxCredentials } from './auth.js';

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
} as const satisfies Omit<SandboxSettings, 'clock' | 'credentials'>;

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
  const credentials = { ...DEMO_CREDENTIALS, ...options.credentials };
  for (const [name, value] of Object.entries(credentials)) if (typeof value !== 'string' || value === '') fail(`credentials.${name}`, 'a non-empty string', value);
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') fail('clock', 'a function returning milliseconds', clock);
  return { port, host, seed, release, faults, latencyMs, rateLimitPerMinute, credentials, clock };
}

function fail(option: string, expected: string, got: unknown): never {
  throw new UsageError(`sandbox option "${option}" must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`, {
    code: 'RECON_SANDBOX_OPTION',
  });
}
