/**
 * The first-come, first-served line both throttles (throttle.ts, shared-throttle.ts) keep in
 * front of their pump: a caller's `take()` is a promise the pump settles, and a caller whose
 * signal aborts (Ctrl-C, a budget spent) leaves the line without spending a permit.
 */

export interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Join `line` and return the promise the pump settles; `joined` runs once the waiter is in
 * line (start the pump there). An already aborted signal rejects at once with its reason.
 *
 * @example
 * take: (signal) => waitInLine(queue, signal, () => void pump()),
 */
export function waitInLine(line: Waiter[], signal: AbortSignal | undefined, joined: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      const at = line.indexOf(waiter);
      if (at >= 0) line.splice(at, 1);
      reject(signal!.reason);
    };
    const waiter: Waiter = {
      resolve: () => (signal?.removeEventListener('abort', onAbort), resolve()),
      reject: (error: Error) => (signal?.removeEventListener('abort', onAbort), reject(error)),
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    line.push(waiter);
    joined();
  });
}
