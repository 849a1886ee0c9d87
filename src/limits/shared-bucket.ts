/**
 * The pure half of the shared throttle (shared-throttle.ts): one small JSON state that every
 * worker of one vendor quota reads and rewrites inside `Store.transactState`, and the decision
 * "may I send k more requests now, and if not, how long until one?". The same three gates as
 * the in-process throttle (throttle.ts), the strictest wins:
 *
 *   1. a sliding-window log of permit times: never more than `limit` in any window of `windowMs`;
 *   2. a token bucket refilled at the limit's rate, `burst` deep: spreads the quota evenly;
 *   3. the vendor's word: `remaining` until its reset (an allowance) and a pause after a 429.
 *
 * Workers run with different configurations (an older connector file, a lower limit learned
 * from the headers): each one asserts its policy on every call, and per window length the
 * strictest policy asserted within the last two windows (at least `minPolicyTtlMs`) wins. A
 * stricter policy lapses only when no worker has asserted it for that long, so a limit can be
 * raised again by changing every worker's configuration.
 *
 * Permits are granted in the store, then used by the worker a moment later — a batch of them
 * over the next few milliseconds. A permit is logged at the latest time it may be used (its
 * grant time + `permitTtlFor(windowMs)`, plus the worker's `leadMs`); the worker drops permits it
 * has not used by then. With that, "fewer than `limit` entries logged after `now - windowMs`"
 * bounds the real sends in every window, whatever the delay between the grant and the send.
 */

/** Every default in one place (CONVENTIONS.md habit 5). */
export const SHARED_BUCKET_DEFAULTS = {
  /**
   * Longest sliding-window log kept (entries per window). Above it the state would grow with the
   * limit (a JSON array rewritten on every call), so a policy above the cap is enforced by the
   * bucket alone, with its rate lowered to `(limit - burst) / (window + longest permit lifetime)`
   * so that a full bucket plus a window's refill still never exceeds the limit in any window.
   */
  maxLogEntries: 2000,
  /** The shared bucket holds at least this many tokens (where the limit allows): see `capacityOf`. */
  minBucketDepth: 2,
  /** For such bucket-only policies the bucket is kept this shallow (a share of the limit), so the lowered rate costs little. */
  bucketOnlyBurstShare: 0.02,
  /**
   * How long a permit stays valid, as a share of the shortest window: a send delayed by up to
   * this after the grant (the store's round trip, a busy event loop) is still inside the log's
   * guarantee. Each window effectively lasts this much longer: 1.5 % of the throughput.
   */
  permitTtlShareOfWindow: 0.015,
  minPermitTtlMs: 15,
  maxPermitTtlMs: 250,
  /** A worker may lengthen its permits' lifetime by up to this many lifetimes (its store's round trip). */
  maxLeadShareOfTtl: 2,
  /** Log times are rounded up to a fifth of the permit lifetime: at most five entries per lifetime, whatever the rate. */
  logResolutionShareOfTtl: 0.2,
  /** A policy no worker re-asserts for this long lapses (at least two windows). */
  minPolicyTtlMs: 60_000,
  /** Distinct window lengths kept (a vendor rarely has more than three). */
  maxPolicies: 8,
} as const;

/** One rate limit as a worker enforces it: at most `limit` permits in any `windowMs`, `burst` back to back. */
export interface SharedPolicy {
  limit: number;
  windowMs: number;
  burst: number;
}

/** The JSON kept under `throttle:<target>` in the store. Small: the log holds at most `maxLogEntries` permits, run-length coded. */
export interface SharedBucketState {
  v: 1;
  /** The strictest policy per window length, and until when it holds unless re-asserted. */
  policies: (SharedPolicy & { until: number })[];
  /** Token bucket: tokens left at `refilledAt`. */
  tokens: number;
  refilledAt: number;
  /** `[latest use time, permits]`, oldest first. */
  log: [number, number][];
  /** Store time until which no permit is granted (a 429's Retry-After, or a penalty). */
  pausedUntil: number;
  /** What the vendor said is left, per policy, until its reset (store time). */
  allowances: Record<string, { remaining: number; until: number }>;
  /** Permits granted, ever (for `state()` and the measurements). */
  granted: number;
}

/** What a worker learned from responses since it last wrote the state. */
export interface SharedObservations {
  /** Lower limits from the headers (already after the safety margin). */
  policies?: SharedPolicy[];
  /** `remaining` (less the calls in flight) until `resetMs` from now, per vendor policy key. */
  allowances?: Record<string, { remaining: number; resetMs: number }>;
  /** Pause every worker for this long from now. */
  pauseMs?: number;
}

export interface PermitDecision {
  /** Permits granted now (0..want). */
  granted: number;
  /** When none was granted: milliseconds until one may be (0 when granted). */
  waitMs: number;
  /** Milliseconds until all `want` could be granted (Infinity when more than the bucket holds); for batching. */
  waitAllMs: number;
  /** How long the granted permits may be used, from the moment the worker asked. */
  permitTtlMs: number;
  state: SharedBucketState;
}

/**
 * Decide how many of `want` permits may be used now, in the state every worker shares, with
 * this worker's `policy` asserted first. Pure: the store may run it again.
 *
 * `leadMs` lengthens the permits' lifetime (at most by `maxLeadShareOfTtl` lifetimes): a worker
 * whose store is on another clock counts their lifetime from the moment it asked, so the round
 * trip would otherwise eat it. The log counts them that much longer: the slow worker pays for it.
 *
 * @example
 * const policy = { limit: 20, windowMs: 1000, burst: 2 };
 * const first = decidePermits(undefined, policy, 5, 0); // { granted: 2, … } — a burst of 2
 * const next = decidePermits(first.state, policy, 1, 10); // { granted: 0, waitMs: 40, … }
 */
export function decidePermits(current: unknown, policy: SharedPolicy, want: number, now: number, leadMs = 0): PermitDecision {
  const state = assertPolicy(readState(current, policy, now), policy, now);
  const { policies } = state;
  const capacity = capacityOf(policies);
  const rate = ratePerMs(policies, capacity);
  const lifetime = permitTtlFor(Math.min(...policies.map((p) => p.windowMs)));
  const ttl = lifetime + Math.min(Math.max(0, leadMs), lifetime * SHARED_BUCKET_DEFAULTS.maxLeadShareOfTtl);
  refill(state, capacity, rate, now);
  prune(state, now);

  const logged = policies.filter(isLogged);
  const counts = logged.map((p) => loggedSince(state.log, now - p.windowMs));
  const allowances = Object.values(state.allowances);
  let available = Math.min(Math.floor(want), Math.floor(state.tokens + 1e-9), ...logged.map((p, i) => p.limit - counts[i]!), ...allowances.map((a) => a.remaining));
  if (state.pausedUntil > now) available = 0;
  const granted = Math.max(0, available);
  if (granted > 0) {
    state.tokens = Math.max(0, state.tokens - granted);
    // Rounded up (later is safe: counted longer) so that permits close together share one entry.
    const step = Math.max(1, Math.floor(lifetime * SHARED_BUCKET_DEFAULTS.logResolutionShareOfTtl));
    const until = Math.ceil((now + ttl) / step) * step;
    const last = state.log[state.log.length - 1];
    if (logged.length > 0) {
      if (last !== undefined && last[0] === until) last[1] += granted;
      else state.log.push([until, granted]);
    }
    for (const a of allowances) a.remaining -= granted;
    state.granted += granted;
  }
  const waitFor = (k: number) => (k > capacity ? Infinity : waitUntilAvailable(state, logged, k, rate, now));
  return { granted, waitMs: granted > 0 ? 0 : waitFor(1), waitAllMs: want - granted <= 0 ? 0 : waitFor(want), permitTtlMs: ttl, state };
}

/**
 * Fold what a worker observed into the shared state: a lower limit joins the policies, an
 * allowance replaces the older one (within one reset window the lower count wins: responses
 * arrive out of order), a pause only ever lengthens.
 *
 * @example
 * applyObservations(state, { pauseMs: 1000 }, now).pausedUntil; // ≥ now + 1000
 */
export function applyObservations(current: unknown, fallback: SharedPolicy, observed: SharedObservations, now: number): SharedBucketState {
  let state = readState(current, fallback, now);
  for (const p of observed.policies ?? []) state = assertPolicy(state, p, now);
  for (const [key, a] of Object.entries(observed.allowances ?? {})) {
    const until = now + a.resetMs;
    const before = state.allowances[key];
    const sameWindow = before !== undefined && before.until > now && Math.abs(before.until - until) < 1000;
    state.allowances[key] = { remaining: Math.max(0, sameWindow ? Math.min(before.remaining, a.remaining) : a.remaining), until };
  }
  if (observed.pauseMs !== undefined && observed.pauseMs > 0) state.pausedUntil = Math.max(state.pausedUntil, now + observed.pauseMs);
  return state;
}

/** How long a granted permit may wait before it is used, for a policy of `windowMs`. */
export function permitTtlFor(windowMs: number): number {
  const d = SHARED_BUCKET_DEFAULTS;
  return Math.min(d.maxPermitTtlMs, Math.max(d.minPermitTtlMs, Math.floor(windowMs * d.permitTtlShareOfWindow)));
}

/** Sends per second the shared bucket refills at, under these policies. */
export function sharedRatePerSecond(state: SharedBucketState): number {
  if (state.policies.length === 0) return 0;
  return ratePerMs(state.policies, capacityOf(state.policies)) * 1000;
}

/** Permits the shared bucket holds when full, under these policies. */
export function sharedCapacity(state: SharedBucketState): number {
  return state.policies.length === 0 ? 1 : capacityOf(state.policies);
}

const isLogged = (p: SharedPolicy) => p.limit <= SHARED_BUCKET_DEFAULTS.maxLogEntries;

function capacityOf(policies: SharedPolicy[]): number {
  const share = SHARED_BUCKET_DEFAULTS.bucketOnlyBurstShare;
  // At least two deep (where the limit allows two): with one token, every millisecond a worker's
  // round trip leaves it untaken is refill lost; the log still holds every window to the limit.
  const depth = (p: SharedPolicy) => Math.min(p.limit, Math.max(SHARED_BUCKET_DEFAULTS.minBucketDepth, p.burst));
  return Math.max(1, Math.min(...policies.map((p) => Math.min(depth(p), isLogged(p) ? Infinity : Math.max(1, Math.floor(p.limit * share))))));
}

function ratePerMs(policies: SharedPolicy[], capacity: number): number {
  // Logged policies: the log is the guarantee, the bucket only spreads. Bucket-only ones: a full
  // bucket (capacity) plus what refills in a window and a permit's lifetime must stay ≤ limit.
  const longestLife = (p: SharedPolicy) => permitTtlFor(p.windowMs) * (1 + SHARED_BUCKET_DEFAULTS.maxLeadShareOfTtl);
  return Math.min(...policies.map((p) => (isLogged(p) ? p.limit / p.windowMs : (p.limit - capacity) / (p.windowMs + longestLife(p)))));
}

function refill(state: SharedBucketState, capacity: number, rate: number, now: number): void {
  if (now > state.refilledAt) {
    state.tokens = Math.min(capacity, state.tokens + (now - state.refilledAt) * rate);
    state.refilledAt = now;
  }
  state.tokens = Math.min(state.tokens, capacity);
}

/** Drop log entries no policy can count any more, and allowances past their reset. */
function prune(state: SharedBucketState, now: number): void {
  const logged = state.policies.filter(isLogged);
  const keepMs = Math.max(0, ...logged.map((p) => p.windowMs));
  const keepEntries = Math.max(0, ...logged.map((p) => p.limit));
  let first = 0;
  while (first < state.log.length && state.log[first]![0] + keepMs <= now) first++;
  let total = 0;
  for (let i = first; i < state.log.length; i++) total += state.log[i]![1];
  while (first < state.log.length && total - state.log[first]![1] >= keepEntries) total -= state.log[first++]![1];
  if (first > 0) state.log.splice(0, first);
  for (const [key, a] of Object.entries(state.allowances)) if (a.until <= now) delete state.allowances[key];
}

/** Permits logged with a latest use after `since`. */
function loggedSince(log: [number, number][], since: number): number {
  let n = 0;
  for (let i = log.length - 1; i >= 0 && log[i]![0] > since; i--) n += log[i]![1];
  return n;
}

/** Milliseconds until `k` permits could be granted together. */
function waitUntilAvailable(state: SharedBucketState, logged: SharedPolicy[], k: number, rate: number, now: number): number {
  let wait = Math.max(0, state.pausedUntil - now);
  if (state.tokens < k - 1e-9) wait = Math.max(wait, (k - state.tokens) / rate);
  for (const p of logged) {
    if (k > p.limit) return Infinity;
    // Newest first: once the (limit - k + 1)-th newest entry leaves the window, k more fit.
    let n = 0;
    for (let i = state.log.length - 1; i >= 0; i--) {
      n += state.log[i]![1];
      if (n >= p.limit - k + 1) {
        wait = Math.max(wait, state.log[i]![0] + p.windowMs - now);
        break;
      }
    }
  }
  for (const a of Object.values(state.allowances)) if (a.remaining < k) wait = Math.max(wait, a.until - now);
  return Math.max(0, wait);
}

/** Add `policy` (refreshing it, or replacing a laxer one for the same window); lapsed policies go. */
function assertPolicy(state: SharedBucketState, policy: SharedPolicy, now: number): SharedBucketState {
  const until = now + Math.max(2 * policy.windowMs, SHARED_BUCKET_DEFAULTS.minPolicyTtlMs);
  const live = state.policies.filter((p) => p.until > now);
  const at = live.findIndex((p) => p.windowMs === policy.windowMs);
  const before = live[at];
  const stricter = before === undefined || policy.limit < before.limit || (policy.limit === before.limit && policy.burst <= before.burst);
  if (stricter) {
    const entry = { limit: policy.limit, windowMs: policy.windowMs, burst: policy.burst, until };
    if (before === undefined) live.push(entry);
    else live[at] = entry;
  }
  live.sort((a, b) => a.limit / a.windowMs - b.limit / b.windowMs);
  state.policies = live.slice(0, SHARED_BUCKET_DEFAULTS.maxPolicies);
  return state;
}

/**
 * The state as stored, checked; a fresh one when there is none. A value this version cannot
 * read (corrupt, or written by a newer recon) is treated as a quota just spent: a fresh state
 * paused for one window, so nothing sent before it can add up to more than the limit.
 */
function readState(current: unknown, policy: SharedPolicy, now: number): SharedBucketState {
  if (current === undefined || current === null) return freshState(policy, now, now);
  if (!isState(current)) return freshState(policy, now, now + policy.windowMs);
  // A copy: the store may run the update again on the value it read.
  return {
    ...current,
    policies: current.policies.map((p) => ({ ...p })),
    log: current.log.map(([at, n]) => [at, n]),
    allowances: Object.fromEntries(Object.entries(current.allowances).map(([k, a]) => [k, { ...a }])),
  };
}

function freshState(policy: SharedPolicy, now: number, pausedUntil: number): SharedBucketState {
  return { v: 1, policies: [], tokens: capacityOf([policy]), refilledAt: now, log: [], pausedUntil, allowances: {}, granted: 0 };
}

function isState(value: unknown): value is SharedBucketState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<SharedBucketState>;
  const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  return (
    s.v === 1 &&
    Array.isArray(s.policies) &&
    s.policies.every((p) => finite(p?.limit) && p.limit >= 1 && finite(p.windowMs) && p.windowMs > 0 && finite(p.burst) && p.burst >= 1 && finite(p.until)) &&
    finite(s.tokens) &&
    finite(s.refilledAt) &&
    Array.isArray(s.log) &&
    s.log.every((e) => Array.isArray(e) && finite(e[0]) && finite(e[1])) &&
    finite(s.pausedUntil) &&
    typeof s.allowances === 'object' &&
    s.allowances !== null &&
    Object.values(s.allowances).every((a) => finite(a?.remaining) && finite(a.until)) &&
    finite(s.granted)
  );
}
