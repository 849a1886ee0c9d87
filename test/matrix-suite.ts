/**
 * The crash and fault matrix at test size (issue 10, point 2): every connector × every
 * condition of bench/faults.js, on each store location given. Each cell asserts what the issue
 * asks: nothing lost, nothing duplicated at the vendor, every message done (or dead with its
 * reason), nothing left pending, and the audit chain verifies. bench/faults.js runs the same
 * cells at large size.
 */
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JS shared with `node bench/faults.js` (not type-checked)
import { CONDITIONS, CONNECTORS, MARKDOWN_HEAD, markdownRow, runCell } from '../bench/faults.js';

/** Messages per cell: small enough for `npm test`, large enough for every fault to hit. */
export const MATRIX_MESSAGES = 20;

interface CellResult {
  skipped?: string;
  accepted: number;
  deliveredOnce: number;
  dead: number;
  deadReasons: Record<string, number>;
  parked: number;
  pending: number;
  lost: number;
  duplicates: number;
  doneWithoutVendorId: number;
  auditOk: boolean;
  faults: Record<string, number>;
  runs: string[];
  diskFull?: { code: number | null; message: string };
  lastStderr?: string;
}

/**
 * @example matrixSuite('sqlite', () => 'sqlite');
 */
export function matrixSuite(title: string, location: (cell: string) => string, options: { conditions?: string[] } = {}): void {
  const rows: string[] = [];
  describe(`crash and fault matrix on ${title}`, () => {
    afterAll(() => {
      // The table a person reads in the test log (and copies into the README's summary).
      console.log(`\n${MARKDOWN_HEAD}\n${rows.join('\n')}\n`);
    });
    const conditions = (options.conditions ?? Object.keys(CONDITIONS)) as string[];
    const cells = conditions.flatMap((condition) => Object.keys(CONNECTORS).map((connector) => [connector, condition] as const));
    // Cells wait far more than they compute (deadlines, Retry-After, restarts): a few at a time.
    it.concurrent.each(cells)('%s × %s', async (connector, condition) => {
      const row = (await runCell({ connector, condition, store: location(`${condition}-${connector}`), n: MATRIX_MESSAGES, kills: 2, downMs: 600 })) as CellResult;
      rows.push(markdownRow(row));
      if (row.skipped) {
        console.warn(`${connector} × ${condition}: skipped: ${row.skipped}`);
        return;
      }
      const context = JSON.stringify(row, null, 2);
      expect(row.lost, context).toBe(0);
      expect(row.duplicates, context).toBe(0);
      expect(row.auditOk, context).toBe(true);
      expect(row.pending, context).toBe(0);
      expect(row.accepted, context).toBe(MATRIX_MESSAGES);
      expect(row.dead, context).toBe(0);
      expect(row.parked, context).toBe(0);
      expect(row.deliveredOnce, context).toBe(MATRIX_MESSAGES);
      expect(row.runs.at(-1), context).toBe('0');
      const kind = condition.replace(/^storm-.*/, 'storm');
      if (kind in { 'reset-before': 1, lost: 1, timeout: 1, slow: 1, truncate: 1, html500: 1, storm: 1, 'wrong-type': 1 }) expect(row.faults[kind] ?? 0, context).toBeGreaterThan(0);
      if (condition === 'sigkill' || condition === 'mixed') expect(row.runs, context).toContain('SIGKILL');
      // test/faults-cut-answer.test.ts: an answer cut off mid-body no longer loses the vendor's id.
      if (condition === 'slow' || condition === 'truncate') expect(row.doneWithoutVendorId, context).toBe(0);
      if (condition === 'disk-full') {
        // The run that met the full disk said so, in words and with exit 3; the rerun finished.
        expect(row.diskFull?.code, context).toBe(3);
        expect(row.diskFull?.message, context).toMatch(/disk full/);
      }
    }, 90_000);
  });
}
