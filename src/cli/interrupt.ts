/**
 * Ctrl-C for long commands: the first stops them gracefully (no new calls; what was seen is
 * concluded and recorded), a second quits at once with 130.
 */
import type { Output } from './output.js';

/** @example const interrupt = interruptOnce(output, 'finishing the calls in flight'); … interrupt.dispose(); */
export function interruptOnce(output: Output, whatHappens: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    output.err(`\nrecon: stopping: ${whatHappens} (Ctrl-C again to quit now)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
