/**
 * `measureLimits`: the real rate limit of a target without burning its quota. First what is
 * free (the document, the first response's headers: two calls when they are complete), then a
 * ramp on one cheap safe operation up to the first refusal, Retry-After honoured, and a few
 * spaced probes to see how the quota comes back. Every call is recorded as redacted HAR.
 */
import { createAuthProvider } from '../../http/auth/index.js';
import { createHttpClient, type HttpClient } from '../../http/client.js';
import { HarRecorder } from '../../http/har/index.js';
import { createRedactor } from '../../http/redact/index.js';
import { RECON_VERSION } from '../../version.js';
import type { LimitsResult, RateLimitEstimate } from '../types.js';
import { LimitsCaller, type Observation } from './caller.js';
import { conclusionOf } from './describe.js';
import { estimateFromMeasurement } from './estimate.js';
import { limitFindings } from './findings.js';
import { completeReading, estimateFromHeaders } from './from-headers.js';
import { latencyOf } from './latency.js';
import { normaliseMeasureOptions, type MeasureLimitsOptions } from './options.js';
import { rampUntilRefused, round } from './ramp.js';
import { formatSeconds, measureRecovery, type RecoveryOutcome } from './recovery.js';
import { achievedRate, QUEUE_CHECK_CALLS, queueingEstimate } from './queueing.js';
import { scopeFromHeaders, scopeFromRefusal } from './scope.js';

/** Header names whose values are credentials (`--header 'X-Api-Key: …'`): scrubbed like secrets. */
const CREDENTIAL_HEADER = /key|token|secret|auth|passw|session|signature|cookie/i;

/**
 * @example
 * const result = await measureLimits({ target, operations: [{ label: 'GET /customers', request }], budget: 150 });
 * result.conclusion; // 'Limit: 60 requests per 60 s (fixed window) — headers, confidence high'
 */
export async function measureLimits(options: MeasureLimitsOptions): Promise<LimitsResult> {
  const settings = normaliseMeasureOptions(options);
  const { target, operations } = options;
  const [main, other] = operations;
  const startedAt = settings.now();
  const headerSecrets = Object.entries(target.headers).filter(([name]) => CREDENTIAL_HEADER.test(name)).map(([, value]) => value);
  const redactor = createRedactor({ ...(options.redaction ?? { headers: [], queryParams: [], jsonPaths: [] }), secrets: [...(options.secrets ?? []), ...headerSecrets] });
  const recorder = new HarRecorder({ redactor, creator: { name: 'recon', version: RECON_VERSION }, comment: `recon limits of ${target.name} (${target.baseUrl})` });
  const inner = options.client ?? createHttpClient({ timeoutMs: target.timeoutSeconds * 1000, maxResponseBytes: target.maxResponseBytes, tls: target.tls, connections: QUEUE_CHECK_CALLS, clock: settings.now });
  let caller: LimitsCaller | undefined;
  let rate = 0;
  const progress = (phase: 'headers' | 'ramp' | 'recovery' | 'waiting', message?: string): void => {
    if (!options.onProgress || !caller) return;
    const refusals = caller.observations.filter((o) => o.outcome === 'refused').length;
    options.onProgress({ phase, spent: caller.spent, budget: settings.budget, ratePerSecond: round(rate), refusals, ...(message ? { message } : {}) });
  };
  let phase: 'headers' | 'ramp' | 'recovery' = 'headers';
  const client: HttpClient = {
    async send(request, meta) {
      const exchange = await inner.send(request, meta);
      caller!.spent++;
      recorder.add(exchange);
      progress(phase);
      return exchange;
    },
    close: () => inner.close(),
  };
  const auth = createAuthProvider(target.auth.type, target.auth, client, { clock: settings.now });
  caller = new LimitsCaller(client, auth, settings, options.signal, startedAt);

  let method: LimitsResult['method'] = 'none';
  let estimate: RateLimitEstimate = {};
  let peakRate = 0;
  let fallback = '';
  const notes: string[] = ['concurrency limit not measured: recon sends one call at a time'];
  try {
    const first = await caller.call(main, 'rate-limit headers');
    const stop = first === undefined ? caller.stopped : unusable(first);
    if (stop !== undefined) {
      fallback = stop;
      caller.stopped ??= stop;
    } else if (completeReading(first) !== undefined) {
      method = 'headers';
      const second = await caller.call(other ?? main, 'rate-limit headers, second look');
      estimate = estimateFromHeaders(first!, second);
      const scope = other !== undefined && second !== undefined ? scopeFromHeaders(first!, second) : undefined;
      if (scope) estimate.scope = scope;
      notes.push(`concluded from the response headers in ${caller.observations.length} calls; no ramp was needed`);
    } else {
      phase = 'ramp';
      const reserve = Math.min(20, Math.max(6, Math.ceil(settings.budget * 0.15)));
      const ramp = await rampUntilRefused(caller, main, { startRatePerSecond: settings.startRatePerSecond, maxRatePerSecond: settings.maxRatePerSecond, reserve, onCall: (r) => (rate = r) });
      peakRate = ramp.peakRate;
      let recovery: RecoveryOutcome | undefined;
      let scopeProbe: Observation | undefined;
      if (ramp.refusal !== undefined) {
        method = 'ramp';
        if (other !== undefined) scopeProbe = await caller.call(other, 'rate-limit scope: is the other operation refused too?');
        phase = 'recovery';
        rate = 0;
        const asked = ramp.refusal.retryAfterSeconds;
        // Said only when recon will wait: a Retry-After past --max-duration is not waited for (recovery.ts).
        const waitMessage =
          asked === undefined ? 'probing for recovery'
          : asked * 1000 > caller.timeLeftMs() ? `the vendor asks to wait ${formatSeconds(asked)} (Retry-After), longer than --max-duration allows: not waiting`
          : `waiting ${formatSeconds(asked)} as Retry-After asks, then probing for recovery`;
        progress('waiting', waitMessage);
        // A per-client window starts when the vendor sees our first call: by the time its answer came back at the latest.
        const head = caller.observations[0]!;
        const firstAt = head.at + head.latencyMs;
        recovery = await measureRecovery(caller, main, { firstAt, refusal: ramp.refusal, quotaSeen: ramp.answeredBefore, maxRatePerSecond: settings.maxRatePerSecond, reserveForTrickle: 0 });
        const lastRefused = [...caller.observations].reverse().find((o) => o.operation === main.label && o.outcome === 'refused' && (recovery?.recovered === undefined || o.index < recovery.recovered.index));
        const callTimes = caller.observations.filter((o) => o.outcome === 'answered' && o.index < ramp.refusal!.index).map((o) => o.at);
        estimate = estimateFromMeasurement({ firstAt, ramp, callTimes, recovery, ...(lastRefused ? { lastRefused } : {}) });
        const scope = scopeProbe !== undefined ? scopeFromRefusal(scopeProbe, other!.label, main.label) : undefined;
        if (scope) estimate.scope = scope;
        if (ramp.answeredBefore === 0) fallback = everyCallRefused(caller.observations, recovery);
      } else {
        const achieved = achievedRate(caller.observations);
        const queued = await queueingEstimate(caller, main, peakRate);
        if (queued.estimate !== undefined) {
          method = 'ramp';
          estimate = queued.estimate;
        }
        if (queued.note !== undefined) notes.push(queued.note);
        const fell = achieved !== undefined && achieved < peakRate * 0.9 ? ` (answered at ${round(achieved)}/s)` : '';
        fallback = `no limit observed within ${caller.spent} calls at up to ${round(peakRate)}/s${fell}`;
      }
    }
  } finally {
    for (const secret of auth.secrets()) redactor.addSecret(secret);
    if (options.client === undefined) await client.close();
  }
  let recording: string | undefined;
  if (options.recordingPath !== undefined && recorder.size > 0) {
    await recorder.write(options.recordingPath);
    recording = options.recordingPath;
  }
  return assemble();

  function assemble(): LimitsResult {
    const observations = caller!.observations;
    const firstAnswered = observations.find((o) => o.outcome !== 'failed');
    const findings = limitFindings({ estimate, documentedHeaders: options.documentedHeaders ?? [], ...(options.documented ? { documented: options.documented } : {}), ...(firstAnswered ? { firstHeaders: firstAnswered.headers } : {}) });
    const reading = completeReading(firstAnswered) ?? firstAnswered?.headers.readings[0];
    const refusedBy = { status429: 0, status503: 0, connectionClosed: 0 };
    for (const o of observations) if (o.refusal) refusedBy[o.refusal]++;
    const firstRefusal = observations.findIndex((o) => o.outcome === 'refused');
    const latency = latencyOf(firstRefusal < 0 ? observations : observations.slice(0, firstRefusal), peakRate || settings.startRatePerSecond);
    const result: LimitsResult = {
      target: target.name,
      baseUrl: target.baseUrl,
      operations: operations.map((o) => o.label),
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Math.round(settings.now() - startedAt),
      requests: caller!.spent,
      budget: settings.budget,
      method,
      estimate,
      conclusion: '',
      ...(options.documented ? { documented: options.documented } : {}),
      headers: {
        dialects: [...new Set(firstAnswered?.headers.readings.map((r) => r.dialect) ?? [])],
        ...(reading ? { reading: { ...reading, raw: Object.fromEntries(Object.entries(reading.raw).map(([k, v]) => [k, redactor.text(v)])) } } : {}),
        ...(firstAnswered?.retryAfterSeconds !== undefined ? { retryAfterSeconds: firstAnswered.retryAfterSeconds } : {}),
        problems: (firstAnswered?.headers.problems ?? []).map((p) => redactor.text(p)),
      },
      calls: {
        answered: observations.filter((o) => o.outcome === 'answered').length,
        refused: observations.filter((o) => o.outcome === 'refused').length,
        refusedBy,
        failed: observations.filter((o) => o.outcome === 'failed').length,
      },
      ...(latency ? { latencyMs: latency } : {}),
      peakRatePerSecond: round(peakRate),
      findings,
      notes,
      reachedVendor: observations.some((o) => o.status !== undefined),
    };
    result.conclusion = redactor.text(conclusionOf(result, fallback || caller!.stopped || 'nothing conclusive'));
    if (caller!.stopped !== undefined) result.stoppedEarly = redactor.text(caller!.stopped);
    if (recording !== undefined) result.recording = recording;
    return result;
  }
}

/** Why the first call cannot start a measurement: unreachable, or an answer that is not the operation's. */
function unusable(first: Observation): string | undefined {
  if (first.outcome === 'failed') return `the vendor could not be reached: ${first.failureCode}`;
  if (first.outcome === 'answered' && first.status !== undefined && first.status >= 400 && first.status < 500) {
    return `${first.operation} answered HTTP ${first.status}${first.status === 401 || first.status === 403 ? ' (check the credentials)' : ''}: recon needs an operation that answers 2xx to measure the limit (--op, --path)`;
  }
  return undefined;
}

function everyCallRefused(observations: Observation[], recovery: RecoveryOutcome | undefined): string {
  const refused = observations.filter((o) => o.outcome === 'refused');
  const statuses = [...new Set(refused.map((o) => (o.refusal === 'connectionClosed' ? `connection closed (${o.failureCode})` : `HTTP ${o.status}`)))].join(', ');
  const retry = refused.find((o) => o.retryAfterSeconds !== undefined)?.retryAfterSeconds;
  const after = retry !== undefined ? `, Retry-After ${formatSeconds(retry)}` : '';
  if (recovery?.recovered !== undefined) {
    return `the first call was refused (${statuses}${after}); calls succeeded again ${round((recovery.recovered.at - observations[0]!.at) / 1000)} s later: the quota was spent by someone else; run again for a measurement`;
  }
  return `every call refused: ${refused.length} of ${observations.length} calls got ${statuses}${after}${recovery?.unresolved ? ` (${recovery.unresolved})` : ''}`;
}
