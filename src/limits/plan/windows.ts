/**
 * Allowed sending windows ("Mon-Fri 18:00-06:00", "Sat,Sun 00:00-24:00") and the calendar of
 * when they are open. A window belongs to the day it opens on: Friday's 18:00-06:00 runs into
 * Saturday morning. Times are wall-clock times at a fixed UTC offset (daylight-saving changes
 * inside a batch are not followed).
 */
import { UsageError } from '../../errors.js';

export interface AllowedWindow {
  /** Days it opens on, 0 = Sunday … 6 = Saturday (as `Date.getUTCDay`). */
  days: number[];
  /** Minutes after local midnight it opens and closes; closing at or before opening means the next day. */
  openMinute: number;
  closeMinute: number;
  text: string;
}

/** An open interval in epoch milliseconds. */
export interface OpenInterval {
  start: number;
  end: number;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_SETS: Record<string, number[]> = { daily: [0, 1, 2, 3, 4, 5, 6], weekdays: [1, 2, 3, 4, 5], weekends: [0, 6] };
export const WINDOW_FORMS = '"Mon-Fri 18:00-06:00", "Sat,Sun 00:00-24:00", "weekdays 20:00-23:00" or "22:00-06:00" (every day)';
const DAY_MS = 86_400_000;

/**
 * @example
 * parseWindow('Mon-Fri 18:00-06:00') // { days: [1, 2, 3, 4, 5], openMinute: 1080, closeMinute: 360, text: 'Mon-Fri 18:00-06:00' }
 */
export function parseWindow(text: string, label = 'window'): AllowedWindow {
  const bad = (why: string) => new UsageError(`${label} "${text}": ${why}; expected ${WINDOW_FORMS}`, { code: 'RECON_PLAN_BAD_WINDOW' });
  const m = /^(?:([a-z,\- ]+?)\s+)?(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/i.exec(text.trim());
  if (!m) throw bad('not a window');
  const days = m[1] === undefined ? DAY_SETS.daily! : parseDays(m[1].toLowerCase().replace(/\s+/g, ''));
  if (days === undefined) throw bad(`"${m[1]}" is not a day, a range like Mon-Fri or a list like Sat,Sun`);
  const openMinute = Number(m[2]) * 60 + Number(m[3]);
  const closeMinute = Number(m[4]) * 60 + Number(m[5]);
  if (Number(m[3]) > 59 || Number(m[5]) > 59 || openMinute >= 1440 || closeMinute > 1440) throw bad('times run from 00:00 to 24:00');
  if (openMinute === closeMinute) throw bad('it opens and closes at the same time');
  return { days, openMinute, closeMinute, text: text.trim() };
}

function parseDays(text: string): number[] | undefined {
  if (DAY_SETS[text]) return DAY_SETS[text];
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to, extra] = part.split('-').map((d) => DAY_NAMES.indexOf(d.slice(0, 3)));
    if (from === undefined || from < 0 || extra !== undefined || (to !== undefined && to < 0)) return undefined;
    // Fri-Mon wraps over the weekend.
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (to === undefined || d === to) break;
    }
  }
  return [...days].sort();
}

/**
 * The open intervals of `windows` from `start` on, merged where they touch or overlap, one
 * local day at a time; `offsetMinutes` is the UTC offset the windows are written in.
 *
 * @example
 * const next = openIntervals([parseWindow('Mon-Fri 18:00-06:00')], Date.parse('2026-12-04T18:00:00Z'), 0).next().value;
 * // { start: Fri 18:00, end: Sat 06:00 } in epoch ms
 */
export function* openIntervals(windows: AllowedWindow[], start: number, offsetMinutes: number): Generator<OpenInterval> {
  const offsetMs = offsetMinutes * 60_000;
  // Start a day early: yesterday's overnight window may still be open.
  let day = Math.floor((start + offsetMs) / DAY_MS) - 1;
  let pending: OpenInterval | undefined;
  for (;;) {
    const today = windows
      .filter((w) => w.days.includes(new Date(day * DAY_MS).getUTCDay()))
      .map((w) => ({
        start: day * DAY_MS + w.openMinute * 60_000 - offsetMs,
        end: (w.closeMinute > w.openMinute ? day : day + 1) * DAY_MS + w.closeMinute * 60_000 - offsetMs,
      }))
      .sort((a, b) => a.start - b.start);
    for (const next of today) {
      if (next.end <= start) continue;
      const clipped = { start: Math.max(next.start, start), end: next.end };
      if (pending && clipped.start <= pending.end) pending.end = Math.max(pending.end, clipped.end);
      else {
        if (pending) yield pending;
        pending = clipped;
      }
    }
    day++;
    // Nothing opening later than the next day's start can merge into the pending interval.
    if (pending && pending.end < day * DAY_MS - offsetMs) {
      yield pending;
      pending = undefined;
    }
  }
}
