/**
 * A pull on a schedule: run, wait `everyMs` from the start of the run, run again — until the
 * signal. A run that fails ends the schedule with its error (the position is safe; the caller
 * decides whether to start again).
 */
import { runPull, type PullOptions, type PullSummary } from './pull.js';

/**
 * @example
 * await pullEvery({ loaded, store, everyMs: 15 * 60_000, signal, onRun: (s) => console.log(pullLine(s)) });
 */
export async function pullEvery(options: PullOptions & { everyMs: number; onRun: (summary: PullSummary) => void }): Promise<void> {
  const clock = options.clock ?? Date.now;
  const { signal } = options;
  while (!signal?.aborted) {
    const startedAt = clock();
    options.onRun(await runPull(options));
    const waitMs = Math.max(0, startedAt + options.everyMs - clock());
    await new Promise<void>((done) => {
      const timer = setTimeout(finish, waitMs);
      function finish(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        done();
      }
      signal?.addEventListener('abort', finish, { once: true });
    });
  }
}

/** One line per run, for people and logs. */
export function pullLine(s: PullSummary): string {
  return `${s.connector}: ${s.records} new record${s.records === 1 ? '' : 's'} in ${s.pages} page${s.pages === 1 ? '' : 's'}, ${s.retried} retried, ${s.state.records} in all, in ${(s.durationMs / 1000).toFixed(1)} s${s.stopped ? ' (stopped)' : ''}`;
}
