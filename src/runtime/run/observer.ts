/**
 * What a run tells whoever watches it, as plain events: the metrics of `recon run --metrics-port`
 * and the snapshots `recon monitor` reads from the store are built on these (src/monitor). The
 * runner never waits on an observer and never fails because of one: a throwing observer is
 * ignored (`safeObserver`).
 */
import type { Exchange } from '../../http/index.js';

/** The class of a call's outcome, as metrics label it. */
export type OutcomeClass = '2xx' | '3xx' | '4xx' | '429' | '5xx' | 'network';

export interface CallEvent {
  connector: string;
  /** operationId or `METHOD /path` of the create or the lookup. */
  operation: string;
  /** `create` (the delivery) or `lookup` (the check before a re-send). */
  purpose: 'create' | 'lookup';
  outcomeClass: OutcomeClass;
  status?: number;
  /** Transport failure code (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`) when there was no answer. */
  failure?: string;
  durationMs: number;
  /** Epoch ms the call ended. */
  at: number;
}

export interface SettledEvent {
  connector: string;
  messageId: string;
  /** What the attempt led to; `retry` means queued again for a later attempt. */
  state: 'done' | 'retry' | 'dead' | 'parked';
  attempts: number;
  at: number;
}

export interface RunObserver {
  /** Records this run's input queued (added) or found already known (duplicates). */
  enqueued?(event: { connector: string; added: number; duplicates: number; at: number }): void;
  /** One HTTP call made for a message, answered or not. */
  call?(event: CallEvent): void;
  /** A message's attempt settled. */
  settled?(event: SettledEvent): void;
  /** Time one attempt waited for the rate limit before it could be sent. */
  throttleWait?(event: { connector: string; waitMs: number }): void;
  /** What the vendor's rate-limit headers said on the latest answer. */
  rateLimit?(event: { connector: string; remaining?: number; limit?: number; at: number }): void;
  /** A pull connector received records from a source (its operation). */
  received?(event: { connector: string; source: string; records: number; at: number }): void;
}

/** The outcome class of an exchange. */
export function outcomeClassOf(exchange: Exchange): OutcomeClass {
  const status = exchange.response?.status;
  if (status === undefined) return 'network';
  if (status === 429) return '429';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  return '2xx';
}

/** An observer whose every method exists and never throws (a broken metrics sink must not stop delivery). */
export function safeObserver(observer: RunObserver | undefined): Required<RunObserver> {
  const wrap =
    <E>(name: keyof RunObserver) =>
    (event: E) => {
      const fn = observer?.[name] as ((e: E) => void) | undefined;
      if (fn === undefined) return;
      try {
        fn.call(observer, event);
      } catch {
        // ignored: see the module comment
      }
    };
  return {
    enqueued: wrap('enqueued'),
    call: wrap('call'),
    settled: wrap('settled'),
    throttleWait: wrap('throttleWait'),
    rateLimit: wrap('rateLimit'),
    received: wrap('received'),
  };
}
