/**
 * What the shared throttle's tests simulate with: a fake clock that jumps from timer to timer, a
 * store that keeps state entries in memory (as JSON, like a real one) with its own clock offset,
 * a seeded PRNG, and the "most sends in any window" measure.
 */
import type { SharedThrottleStore, Throttle, ThrottleClock } from '../../src/limits/index.js';

/** A clock that jumps from timer to timer; every pending promise settles before each jump. */
export class FakeClock implements ThrottleClock {
  t = 0;
  private timers: { at: number; seq: number; resolve(): void }[] = [];
  private seq = 0;
  now = () => this.t;
  sleep = (ms: number) => new Promise<void>((resolve) => this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve }));
  async runUntil(done: () => boolean): Promise<void> {
    for (;;) {
      await settle();
      if (done()) return;
      // Work may still be passing through setImmediate (the pump yields to the callers it served).
      for (let i = 0; i < 50 && this.timers.length === 0 && !done(); i++) await settle();
      if (done()) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('deadlock: nothing left to wake');
      this.t = next.at;
      next.resolve();
    }
  }
}

export const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * State entries in a Map shared by every instance made with the same `entries`, serialised as
 * JSON like a database would. `offsetMs` plays a database whose clock differs from the workers'
 * (PostgreSQL on database time ignores the caller's `now`); `failures` makes the next calls throw.
 */
export class MemoryStateStore implements SharedThrottleStore {
  calls = 0;
  failures = 0;
  constructor(
    readonly entries = new Map<string, string>(),
    private readonly storeClock?: () => number,
    /** A round trip: half of it before the store decides, half after (on `sleep`'s clock). */
    private readonly roundTrip?: { ms: number; sleep(ms: number): Promise<void> },
  ) {}
  async transactState<R>(key: string, update: (current: unknown, now: number) => { value: unknown; result: R }, now: number): Promise<R> {
    this.calls++;
    await Promise.resolve();
    if (this.roundTrip) await this.roundTrip.sleep(this.roundTrip.ms / 2);
    const result = this.decide(key, update, now);
    if (this.roundTrip) await this.roundTrip.sleep(this.roundTrip.ms / 2);
    return result;
  }
  private decide<R>(key: string, update: (current: unknown, now: number) => { value: unknown; result: R }, now: number): R {
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error('connection lost'), { code: 'RECON_STORE_FAILED' });
    }
    const text = this.entries.get(key);
    const at = this.storeClock?.() ?? now;
    // Run twice, as a store retrying after a lost connection may: the update must be pure.
    update(text === undefined ? undefined : JSON.parse(text), at);
    const out = update(text === undefined ? undefined : JSON.parse(text), at);
    this.entries.set(key, JSON.stringify(out.value));
    return out.result;
  }
}

/** Deterministic PRNG (mulberry32) so that every interleaving is reproducible by seed. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The most sends in any half-open window [t, t + windowMs). */
export function maxInAnyWindow(sends: number[], windowMs: number): number {
  const sorted = [...sends].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j]! < sorted[i]! + windowMs) j++;
    max = Math.max(max, j - i);
  }
  return max;
}

/** `senders` loops per throttle of take() → record → random latency, until the clock passes `until`. */
export async function simulateWorkers(throttles: Throttle[], clock: FakeClock, o: { senders: number; until: number; seed: number; maxLatencyMs: number }): Promise<number[][]> {
  const rand = random(o.seed);
  const sends = throttles.map(() => [] as number[]);
  const loops = throttles.flatMap((throttle, w) =>
    Array.from({ length: o.senders }, async () => {
      while (clock.now() < o.until) {
        await throttle.take();
        if (clock.now() >= o.until) return;
        sends[w]!.push(clock.now());
        await clock.sleep(Math.floor(rand() * o.maxLatencyMs));
      }
    }),
  );
  let finished = 0;
  for (const loop of loops) void loop.finally(() => finished++);
  await clock.runUntil(() => finished === loops.length);
  return sends;
}
