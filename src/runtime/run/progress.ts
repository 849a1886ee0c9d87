/**
 * Progress of a run as plain data (the CLI draws it on stderr): done out of the messages that
 * were pending when delivery started, the achieved rate, and an ETA at the rate the throttle
 * allows — the rate the rest will really go at, not the burst the first seconds showed.
 */

export interface RunCounts {
  /** Newly queued by this run's input. */
  enqueued: number;
  /** Input records already queued (same id), left as they were. */
  duplicates: number;
  /** Input lines that could not be read or had no id, skipped. */
  invalidLines: number;
  done: number;
  /** Of `done`: found at the vendor by a lookup, not sent again. */
  foundByLookup: number;
  /** Attempts that ended in "try again later". */
  retried: number;
  dead: number;
  parked: number;
  /** HTTP calls made, lookups included. */
  calls: number;
  /** Calls that got no HTTP answer at all (refused, DNS, TLS, timeout, connection lost). */
  unreachable: number;
}

export interface RunProgress extends RunCounts {
  phase: 'enqueue' | 'deliver' | 'stopping';
  /** Messages pending (queued or leased) when delivery started. */
  total: number;
  inFlight: number;
  elapsedMs: number;
  /** Messages finished (done, dead, parked) per second since delivery started. */
  ratePerSecond: number;
  /** Seconds until the pending messages are through at the throttled rate; undefined when unknown. */
  etaSeconds?: number;
}

export function emptyCounts(): RunCounts {
  return { enqueued: 0, duplicates: 0, invalidLines: 0, done: 0, foundByLookup: 0, retried: 0, dead: 0, parked: 0, calls: 0, unreachable: 0 };
}

/**
 * @example
 * progressOf(counts, { total: 1000, inFlight: 4, startedAt: t0, now: t0 + 10_000, throttledRate: 20 });
 * // { …counts, total: 1000, ratePerSecond: 19.6, etaSeconds: 40, … }
 */
export function progressOf(
  counts: RunCounts,
  at: { phase?: RunProgress['phase']; total: number; inFlight: number; startedAt: number; now: number; throttledRate?: number },
): RunProgress {
  const elapsedMs = Math.max(0, at.now - at.startedAt);
  const finished = counts.done + counts.dead + counts.parked;
  const ratePerSecond = elapsedMs > 0 ? round2((finished * 1000) / elapsedMs) : 0;
  const remaining = Math.max(0, at.total - finished);
  // The slower of what the throttle allows and what was achieved (latency, retries) wins.
  const candidates = [at.throttledRate, finished >= 5 ? ratePerSecond : undefined].filter((r): r is number => r !== undefined && r > 0);
  const rate = candidates.length > 0 ? Math.min(...candidates) : undefined;
  const progress: RunProgress = { ...counts, phase: at.phase ?? 'deliver', total: at.total, inFlight: at.inFlight, elapsedMs, ratePerSecond };
  if (remaining === 0) progress.etaSeconds = 0;
  else if (rate !== undefined) progress.etaSeconds = Math.ceil(remaining / rate);
  return progress;
}

/**
 * One line for people: `412/1000 done, 19.6/s, ETA 30s, 7 retries, 1 dead`.
 * @example progressLine(progress) // '412/1000 done, 19.6/s, ETA 30s, 7 retries, 1 dead'
 */
export function progressLine(p: RunProgress): string {
  const parts = [`${p.done}/${p.total} done`, `${p.ratePerSecond}/s`];
  if (p.etaSeconds !== undefined && p.done + p.dead + p.parked < p.total) parts.push(`ETA ${formatSeconds(p.etaSeconds)}`);
  parts.push(`${p.retried} ${p.retried === 1 ? 'retry' : 'retries'}`);
  if (p.dead > 0) parts.push(`${p.dead} dead`);
  if (p.parked > 0) parts.push(`${p.parked} parked`);
  return parts.join(', ');
}

/** `45s`, `12m 5s`, `3h 20m`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
