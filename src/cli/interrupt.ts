/**
 * Ctrl-C (SIGINT) and SIGTERM for long commands: the first stops them gracefully (no new calls;
 * what was seen is concluded and recorded), a second quits at once — 130 after Ctrl-C, 143 after
 * SIGTERM. `received` says which signal stopped the command, for commands whose exit code
 * depends on it (a `recon run --worker` stopped by its supervisor's SIGTERM exits 0).
 */
import type { Output } from './output.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * @example
 * const interrupt = interruptOnce(output, 'finishing the calls in flight'); … interrupt.dispose();
 * if (interrupt.received() === 'SIGTERM') output.exitCode = 0;
 */
export function interruptOnce(output: Output, whatHappens: string): { signal: AbortSignal; dispose(): void; received(): StopSignal | undefined } {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const on = (signal: StopSignal) => (): void => {
    if (controller.signal.aborted) process.exit(signal === 'SIGTERM' ? 143 : 130);
    received = signal;
    output.err(signal === 'SIGINT' ? `\nrecon: stopping: ${whatHappens} (Ctrl-C again to quit now)` : `recon: stopping (SIGTERM): ${whatHappens}`);
    controller.abort();
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
    received: () => received,
  };
}

/**
 * Resolves at the first SIGINT or SIGTERM, for commands that serve until stopped (`recon sandbox`,
 * `recon proxy`); its listeners are removed then, so a second signal ends the process.
 *
 * @example
 * await untilStopped();
 * await server.close();
 */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
