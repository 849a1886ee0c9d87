/**
 * `planBatch`: how long a batch of calls takes at a rate limit (sent through recon's throttle,
 * safety margin included), whether it fits a deadline and the allowed windows, and what would
 * make it fit. Pure: the start time and the UTC offset are inputs.
 */
import { UsageError } from '../../errors.js';
import { effectiveLimitFor, THROTTLE_DEFAULTS } from '../throttle.js';
import { formatRate, type RateLimit } from './units.js';
import { openIntervals, type AllowedWindow, type OpenInterval } from './windows.js';
import { suggest, type Suggestion } from './suggest.js';

export interface PlanInput {
  calls: number;
  limit: RateLimit;
  /** Where the limit came from, in words ("--limit 100/min", "review/limits.json: measured, confidence 0.8"). */
  limitSource?: string;
  /** Share of the limit the throttle uses. Default {@link THROTTLE_DEFAULTS.safetyMargin}. */
  safetyMargin?: number;
  start: Date;
  /** Finish by `start + seconds`, or by a date-time. */
  deadline?: { seconds: number } | { at: Date };
  /** When sending is allowed; none: any time. */
  windows?: AllowedWindow[];
  /** UTC offset of the wall-clock times in `windows` and in the output. Default 0. */
  utcOffsetMinutes?: number;
  /** Operations of the vendor's document that look like bulk or batch endpoints (`POST /invoice/list`). */
  bulkOperations?: string[];
}

export interface PlanSegment {
  start: string;
  end: string;
  calls: number;
}

export interface BatchPlan {
  calls: number;
  limit: RateLimit & { text: string; source?: string };
  safetyMargin: number;
  /** Requests per window the throttle sends: floor(limit × safety margin). */
  sendingLimit: RateLimit & { text: string };
  /** Seconds of sending the batch needs. */
  sendingSeconds: number;
  /** Local ISO 8601 date-times with the offset. */
  start: string;
  finish: string;
  /** Calendar days from the start day to the finish day, both counted. */
  spansDays: number;
  utcOffsetMinutes: number;
  windows?: { allowed: string[]; used: number; segments: PlanSegment[] };
  deadline?: { at: string; fits: boolean; /** Seconds to spare (negative: overrun). */ marginSeconds: number };
  /** True when there is no deadline, or the batch finishes by it. */
  fits: boolean;
  suggestions: Suggestion[];
}

/** Longest calendar recon walks before it gives up: ten years. */
const MAX_SPAN_MS = 3660 * 86_400_000;
/** Segments listed in the plan; the count covers the rest. */
const MAX_SEGMENTS = 60;

/**
 * @example
 * planBatch({ calls: 50_000, limit: { requests: 100, windowSeconds: 60 }, start: new Date('2026-12-04T18:00:00Z'), deadline: { seconds: 8 * 3600 } })
 * // { sendingSeconds: 33334, finish: '2026-12-05T03:15:34+00:00', fits: false, suggestions: [{ kind: 'higher-limit', … }, …], … }
 */
export function planBatch(input: PlanInput): BatchPlan {
  const safetyMargin = input.safetyMargin ?? THROTTLE_DEFAULTS.safetyMargin;
  const offset = input.utcOffsetMinutes ?? 0;
  if (!(input.calls >= 1)) throw new UsageError(`calls must be at least 1, got ${input.calls}`, { code: 'RECON_PLAN_BAD_CALLS' });
  const sending = { requests: effectiveLimitFor(input.limit.requests, safetyMargin), windowSeconds: input.limit.windowSeconds };
  const sendingSeconds = Math.ceil((input.calls * sending.windowSeconds) / sending.requests);
  const start = input.start.getTime();
  const deadlineAt = input.deadline === undefined ? undefined : 'at' in input.deadline ? input.deadline.at.getTime() : start + input.deadline.seconds * 1000;
  if (deadlineAt !== undefined && deadlineAt <= start) throw new UsageError('the deadline is not after the start', { code: 'RECON_PLAN_BAD_DEADLINE' });

  const windows = input.windows?.length ? input.windows : undefined;
  const schedule = windows ? scheduleInWindows(windows, start, offset, sendingSeconds) : { finish: start + sendingSeconds * 1000, used: [] as OpenInterval[] };
  const finish = schedule.finish;
  const fitsDeadline = deadlineAt === undefined || finish <= deadlineAt;
  const plan: BatchPlan = {
    calls: input.calls,
    limit: { ...input.limit, text: formatRate(input.limit), ...(input.limitSource !== undefined ? { source: input.limitSource } : {}) },
    safetyMargin,
    sendingLimit: { ...sending, text: formatRate(sending) },
    sendingSeconds,
    start: localIso(start, offset),
    finish: localIso(finish, offset),
    spansDays: localDay(finish, offset) - localDay(start, offset) + 1,
    utcOffsetMinutes: offset,
    ...(windows ? { windows: { allowed: windows.map((w) => w.text), used: schedule.used.length, segments: segmentsOf(schedule.used, input.calls, sendingSeconds, offset) } } : {}),
    ...(deadlineAt !== undefined ? { deadline: { at: localIso(deadlineAt, offset), fits: fitsDeadline, marginSeconds: Math.round((deadlineAt - finish) / 1000) } } : {}),
    fits: fitsDeadline,
    suggestions: [],
  };
  plan.suggestions = suggest(plan, {
    ...input,
    safetyMargin,
    ...(deadlineAt !== undefined ? { deadlineAt } : {}),
    availableSeconds: deadlineAt === undefined ? undefined : windows ? openSecondsBetween(windows, start, deadlineAt, offset) : (deadlineAt - start) / 1000,
    ...(windows ? { windows } : {}),
  });
  return plan;
}

/** Walk the open windows from `start` until `sendingSeconds` of sending are spent. */
function scheduleInWindows(windows: AllowedWindow[], start: number, offset: number, sendingSeconds: number): { finish: number; used: OpenInterval[] } {
  let left = sendingSeconds * 1000;
  const used: OpenInterval[] = [];
  for (const open of openIntervals(windows, start, offset)) {
    if (open.start - start > MAX_SPAN_MS) break;
    const spend = Math.min(left, open.end - open.start);
    used.push({ start: open.start, end: open.start + spend });
    left -= spend;
    if (left <= 0) return { finish: open.start + spend, used };
  }
  throw new UsageError('the batch does not finish within ten years of allowed windows', { code: 'RECON_PLAN_TOO_LONG', hint: 'check the --window and --limit values' });
}

/** Seconds the windows are open between two instants. */
export function openSecondsBetween(windows: AllowedWindow[], from: number, to: number, offset: number): number {
  let total = 0;
  for (const open of openIntervals(windows, from, offset)) {
    if (open.start >= to) break;
    total += Math.min(open.end, to) - open.start;
  }
  return total / 1000;
}

/** The windows used, with the calls sent in each (the last one takes the rest). */
function segmentsOf(used: OpenInterval[], calls: number, sendingSeconds: number, offset: number): PlanSegment[] {
  let sentMs = 0;
  let before = 0;
  return used.slice(0, MAX_SEGMENTS).map((s) => {
    sentMs += s.end - s.start;
    const upTo = Math.min(calls, Math.round((calls * sentMs) / (sendingSeconds * 1000)));
    const segment = { start: localIso(s.start, offset), end: localIso(s.end, offset), calls: upTo - before };
    before = upTo;
    return segment;
  });
}

/** `2026-12-04T18:00:00+01:00`: ISO 8601 in the plan's local time. */
export function localIso(ms: number, offsetMinutes: number): string {
  const local = new Date(Math.round(ms / 1000) * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function localDay(ms: number, offsetMinutes: number): number {
  return Math.floor((ms + offsetMinutes * 60_000) / 86_400_000);
}
