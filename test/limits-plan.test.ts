import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describePlan,
  findBulkOperations,
  formatDuration,
  formatRate,
  openSecondsBetween,
  parseDuration,
  parseRateLimit,
  parseWindow,
  planBatch,
  readLimitsFile,
  type PlanInput,
} from '../src/limits/plan/index.js';

const FRIDAY_18 = new Date('2026-12-04T18:00:00Z'); // a Friday
const per = (requests: number, windowSeconds: number) => ({ requests, windowSeconds });

describe('parseRateLimit', () => {
  const cases: [string, { given: string; want: { requests: number; windowSeconds: number } | RegExp }][] = [
    ['per minute', { given: '100/min', want: per(100, 60) }],
    ['per minute, long', { given: '100/minute', want: per(100, 60) }],
    ['per second', { given: '10/s', want: per(10, 1) }],
    ['per hour', { given: '5000/hour', want: per(5000, 3600) }],
    ['per day', { given: '100000/day', want: per(100000, 86400) }],
    ['"per" with a window length', { given: '100 per 60s', want: per(100, 60) }],
    ['per 15 minutes', { given: '900/15min', want: per(900, 900) }],
    ['upper case', { given: '100/MIN', want: per(100, 60) }],
    ['unknown unit', { given: '100/fortnight', want: /limit "100\/fortnight" is not a rate limit; expected 100\/min/ }],
    ['no window', { given: '100', want: /not a rate limit/ }],
    ['zero', { given: '0/min', want: /not a rate limit/ }],
    ['decimal requests', { given: '1.5/s', want: /not a rate limit/ }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    if (want instanceof RegExp) expect(() => parseRateLimit(given)).toThrow(want);
    else expect(parseRateLimit(given)).toEqual(want);
  });
});

describe('durations and rates in words', () => {
  const durations: [string, { given: string; want: number | RegExp }][] = [
    ['hours', { given: '8h', want: 28800 }],
    ['hours and minutes', { given: '1h30m', want: 5400 }],
    ['days', { given: '2d', want: 172800 }],
    ['spaces', { given: '1h 30m', want: 5400 }],
    ['garbage', { given: 'soon', want: /not a duration/ }],
    ['trailing garbage', { given: '8hx', want: /not a duration/ }],
    ['a bare number', { given: '8', want: /not a duration/ }],
  ];
  it.each(durations)('parseDuration: %s', (_name, { given, want }) => {
    if (want instanceof RegExp) expect(() => parseDuration(given)).toThrow(want);
    else expect(parseDuration(given)).toBe(want);
  });

  it.each([
    [33334, '9h 15m'],
    [59, '59s'],
    [3600, '1h'],
    [90061, '1d 1h'],
    [0, '0s'],
  ])('formatDuration(%i) = %s', (given, want) => expect(formatDuration(given)).toBe(want));

  it.each([
    [per(100, 60), '100/min'],
    [per(10, 1), '10/s'],
    [per(5000, 3600), '5000/hour'],
    [per(900, 900), '900 per 15m'],
  ])('formatRate(%j) = %s', (given, want) => expect(formatRate(given)).toBe(want));
});

describe('parseWindow', () => {
  const cases: [string, { given: string; want: { days: number[]; openMinute: number; closeMinute: number } | RegExp }][] = [
    ['weeknights', { given: 'Mon-Fri 18:00-06:00', want: { days: [1, 2, 3, 4, 5], openMinute: 1080, closeMinute: 360 } }],
    ['a weekend list, whole days', { given: 'Sat,Sun 00:00-24:00', want: { days: [0, 6], openMinute: 0, closeMinute: 1440 } }],
    ['every day', { given: '22:00-06:00', want: { days: [0, 1, 2, 3, 4, 5, 6], openMinute: 1320, closeMinute: 360 } }],
    ['weekdays keyword', { given: 'weekdays 20:00-23:00', want: { days: [1, 2, 3, 4, 5], openMinute: 1200, closeMinute: 1380 } }],
    ['a range wrapping the weekend', { given: 'Fri-Mon 00:00-24:00', want: { days: [0, 1, 5, 6], openMinute: 0, closeMinute: 1440 } }],
    ['full day names', { given: 'Monday-Tuesday 09:00-17:00', want: { days: [1, 2], openMinute: 540, closeMinute: 1020 } }],
    ['a misspelt day', { given: 'Mon-Fry 18:00-06:00', want: /"Mon-Fry" is not a day/ }],
    ['25 o\'clock', { given: 'Mon 25:00-06:00', want: /00:00 to 24:00/ }],
    ['empty window', { given: 'Mon 06:00-06:00', want: /same time/ }],
    ['no times', { given: 'weekends', want: /not a window/ }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    if (want instanceof RegExp) expect(() => parseWindow(given)).toThrow(want);
    else expect(parseWindow(given)).toMatchObject(want);
  });

  it('counts the open time of a week: five 12-hour nights', () => {
    const monday = Date.parse('2026-12-07T00:00:00Z');
    expect(openSecondsBetween([parseWindow('Mon-Fri 18:00-06:00')], monday, monday + 7 * 86_400_000, 0)).toBe(5 * 12 * 3600 - 6 * 3600 + 6 * 3600);
  });
});

describe('planBatch', () => {
  const cases: [string, { given: PlanInput; want: Record<string, unknown>; suggestions?: string[] }][] = [
    [
      '50,000 calls at 100/min with a 0.9 margin: about 9h 15m',
      { given: { calls: 50_000, limit: per(100, 60), start: FRIDAY_18 }, want: { sendingSeconds: 33334, finish: '2026-12-05T03:15:34+00:00', spansDays: 2, fits: true, sendingLimit: { requests: 90, windowSeconds: 60, text: '90/min' } }, suggestions: [] },
    ],
    [
      'no margin: 500 minutes',
      { given: { calls: 50_000, limit: per(100, 60), safetyMargin: 1, start: FRIDAY_18 }, want: { sendingSeconds: 30000, finish: '2026-12-05T02:20:00+00:00' } },
    ],
    [
      'a deadline of 8h does not fit: a higher limit or two runs would',
      {
        given: { calls: 50_000, limit: per(100, 60), start: FRIDAY_18, deadline: { seconds: 8 * 3600 } },
        want: { fits: false, deadline: { at: '2026-12-05T02:00:00+00:00', fits: false, marginSeconds: -4534 } },
        suggestions: ['higher-limit', 'split-runs'],
      },
    ],
    [
      'a deadline of 10h fits',
      { given: { calls: 50_000, limit: per(100, 60), start: FRIDAY_18, deadline: { seconds: 10 * 3600 } }, want: { fits: true, deadline: { at: '2026-12-05T04:00:00+00:00', fits: true, marginSeconds: 2666 } }, suggestions: [] },
    ],
    [
      'just over: the full limit without margin would fit',
      { given: { calls: 50_000, limit: per(100, 60), start: FRIDAY_18, deadline: { seconds: 9 * 3600 } }, want: { fits: false }, suggestions: ['higher-limit', 'no-safety-margin', 'split-runs'] },
    ],
    [
      'weeknights from Friday 18:00: 100,000 calls run over the weekend into Monday night',
      {
        given: { calls: 100_000, limit: per(100, 60), start: FRIDAY_18, windows: [parseWindow('Mon-Fri 18:00-06:00')] },
        want: {
          finish: '2026-12-08T00:31:07+00:00',
          spansDays: 5,
          windows: {
            allowed: ['Mon-Fri 18:00-06:00'],
            used: 2,
            segments: [
              { start: '2026-12-04T18:00:00+00:00', end: '2026-12-05T06:00:00+00:00', calls: 64_800 },
              { start: '2026-12-07T18:00:00+00:00', end: '2026-12-08T00:31:07+00:00', calls: 35_200 },
            ],
          },
        },
      },
    ],
    [
      'weeknights, 50,000 calls fit in Friday night',
      { given: { calls: 50_000, limit: per(100, 60), start: FRIDAY_18, windows: [parseWindow('Mon-Fri 18:00-06:00')] }, want: { finish: '2026-12-05T03:15:34+00:00', windows: { used: 1 } } },
    ],
    [
      'started in the middle of a night window',
      { given: { calls: 8100, limit: per(100, 60), start: new Date('2026-12-08T05:00:00Z'), windows: [parseWindow('Mon-Fri 18:00-06:00')] }, want: { finish: '2026-12-08T18:30:00+00:00', windows: { used: 2, segments: [{ calls: 5400 }, { calls: 2700 }] } } },
    ],
    [
      'weeknights + weekends merge into one long window',
      { given: { calls: 100_000, limit: per(100, 60), start: FRIDAY_18, windows: [parseWindow('Mon-Fri 18:00-06:00'), parseWindow('Sat,Sun 00:00-24:00')] }, want: { finish: '2026-12-05T12:31:07+00:00', windows: { used: 1 } } },
    ],
    [
      'windows read at a UTC offset',
      { given: { calls: 900, limit: per(100, 60), start: new Date('2026-12-04T12:00:00Z'), utcOffsetMinutes: 60, windows: [parseWindow('Fri 18:00-19:00')] }, want: { start: '2026-12-04T13:00:00+01:00', finish: '2026-12-04T18:10:00+01:00' } },
    ],
    [
      'a deadline before the next window opens',
      {
        given: { calls: 900, limit: per(100, 60), start: new Date('2026-12-05T08:00:00Z'), deadline: { seconds: 3600 }, windows: [parseWindow('Mon-Fri 18:00-06:00')] },
        want: { fits: false },
        suggestions: ['no-window-before-deadline', 'more-windows'],
      },
    ],
    [
      'bulk endpoints are pointed at when it does not fit',
      { given: { calls: 50_000, limit: per(100, 60), start: FRIDAY_18, deadline: { at: new Date('2026-12-04T20:00:00Z') }, bulkOperations: ['POST /invoice/list'] }, want: { fits: false }, suggestions: ['higher-limit', 'split-runs', 'bulk-endpoints'] },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want, suggestions }) => {
    const plan = planBatch({ safetyMargin: 0.9, ...given });
    expect(plan).toMatchObject(want);
    if (suggestions) expect(plan.suggestions.map((s) => s.kind)).toEqual(suggestions);
  });

  it('the suggested limit really fits, and one less does not', () => {
    const input: PlanInput = { calls: 50_000, limit: per(100, 60), start: FRIDAY_18, deadline: { seconds: 8 * 3600 } };
    const suggested = planBatch({ safetyMargin: 0.9, ...input }).suggestions.find((s) => s.kind === 'higher-limit')!.limit!;
    expect(suggested.text).toBe('116/min');
    expect(planBatch({ safetyMargin: 0.9, ...input, limit: suggested }).fits).toBe(true);
    expect(planBatch({ safetyMargin: 0.9, ...input, limit: per(suggested.requests - 1, 60) }).fits).toBe(false);
  });

  it('says it in plain words', () => {
    const lines = describePlan(planBatch({ calls: 50_000, limit: per(100, 60), start: FRIDAY_18, deadline: { seconds: 8 * 3600 }, safetyMargin: 0.9 }));
    expect(lines).toEqual([
      '50,000 calls at 100/min, sent at 90/min (a 10% safety margin): 9h 15m of sending.',
      'Start:    Fri 4 Dec 2026 18:00 (UTC+00:00)',
      'Finish:   Sat 5 Dec 2026 03:15 (UTC+00:00) — 2 calendar days',
      'Deadline: Sat 5 Dec 2026 02:00 (UTC+00:00) — does NOT fit: 1h 15m too long',
      '',
      'What would make it fit:',
      '  - a limit of ≥ 116/min would fit the deadline (today 100/min): ask the vendor for a temporary raise for the batch',
      '  - spreading it over 2 runs of at most 8h (e.g. 2 nights) fits each run in the time allowed',
    ]);
  });

  it.each([
    ['no calls', { calls: 0, limit: per(100, 60), start: FRIDAY_18 }, /calls must be at least 1/],
    ['a deadline in the past', { calls: 1, limit: per(100, 60), start: FRIDAY_18, deadline: { at: new Date('2026-01-01T00:00:00Z') } }, /not after the start/],
  ] as [string, PlanInput, RegExp][])('refuses %s', (_name, input, error) => {
    expect(() => planBatch(input)).toThrow(error);
  });
});

describe('readLimitsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recon-plan-'));
  const estimate = { limit: { value: 60, source: 'measured', confidence: 0.9, evidence: [] }, windowSeconds: { value: 60, source: 'measured', confidence: 0.8, evidence: [] } };
  mkdirSync(join(dir, 'review'));
  writeFileSync(join(dir, 'review', 'limits.json'), JSON.stringify({ target: 'sandbox', estimate }));
  writeFileSync(join(dir, 'documented.json'), JSON.stringify({ target: 'x', estimate: {}, documented: { limit: 1000, windowSeconds: 3600, text: '1000 per hour', location: 'info.description' } }));
  writeFileSync(join(dir, 'empty.json'), JSON.stringify({ target: 'x', estimate: { limit: { value: 60 } } }));
  writeFileSync(join(dir, 'broken.json'), '{');
  const cases: [string, { given: string; want: Record<string, unknown> | RegExp }][] = [
    ['a directory with review/limits.json', { given: '.', want: { requests: 60, windowSeconds: 60, source: 'measured, confidence 0.9' } }],
    ['the review directory', { given: 'review', want: { requests: 60, windowSeconds: 60 } }],
    ['the documented limit when nothing was measured', { given: 'documented.json', want: { requests: 1000, windowSeconds: 3600, source: 'documented, not measured' } }],
    ['no window', { given: 'empty.json', want: /holds no limit with a window/ }],
    ['broken JSON', { given: 'broken.json', want: /not readable JSON/ }],
    ['missing', { given: 'nope.json', want: /no such file/ }],
  ];
  it.each(cases)('%s', async (_name, { given, want }) => {
    if (want instanceof RegExp) await expect(readLimitsFile(given, dir)).rejects.toThrow(want);
    else expect(await readLimitsFile(given, dir)).toMatchObject(want);
  });
});

describe('findBulkOperations', () => {
  const op = (method: string, path: string, summary?: string, operationId?: string) => ({ method: method as 'get', path, ...(summary ? { summary } : {}), ...(operationId ? { operationId } : {}) });
  const cases: [string, { given: ReturnType<typeof op>[]; want: string[] }][] = [
    ['Tripletex-style /list writes', { given: [op('post', '/invoice/list'), op('get', '/invoice')], want: ['POST /invoice/list'] }],
    ['bulk or batch in the path', { given: [op('post', '/bulk/customers'), op('post', '/customers:batchCreate')], want: ['POST /bulk/customers'] }],
    ['batch in a camel-case operationId', { given: [op('post', '/customers', undefined, 'customersBatchCreate')], want: ['POST /customers'] }],
    ['"multiple" in a write summary', { given: [op('put', '/product', 'Update multiple products')], want: ['PUT /product'] }],
    ['a plain list read is not bulk', { given: [op('get', '/customer/list', 'List customers')], want: [] }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => expect(findBulkOperations(given)).toEqual(want));
});
