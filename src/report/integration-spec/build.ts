/**
 * `buildIntegrationSpec`: the review model (plus the raw review files for details the model
 * summarises away) as the integration spec the runtime reads. Pure: the clock is an option.
 */
import { UsageError } from '../../errors.js';
import type { Inventory } from '../../spec/inventory.js';
import { RECON_VERSION } from '../../version.js';
import type { ReviewInputs, ReviewModel } from '../types.js';
import { batchOf, rateLimitsOf, throttleOf } from './build-limits.js';
import { idempotencyOf, latencyOf, normaliseOperation, paginationOf } from './build-operations.js';
import { RETRY_DEFAULTS } from './retry-defaults.js';
import { INTEGRATION_SPEC_FORMAT, type IntegrationSpec, type IntegrationSpecAuth, type IntegrationSpecDrift, type IntegrationSpecRetry } from './types.js';

export interface BuildIntegrationSpecOptions {
  /** `generatedAt`, and the `at` of values assumed or read from the document. Default: now. */
  now?: Date;
}

/**
 * @example
 * const spec = buildIntegrationSpec(model, inputs, { now: new Date('2026-12-04T23:00:00Z') });
 * spec.throttle; // { limit: 60, windowSeconds: 60, safetyMargin: 0.98, sendingLimit: 58, burst: 6, source: 'headers', … }
 * await writeIntegrationSpec('review/integration-spec.yaml', spec);
 */
export function buildIntegrationSpec(model: ReviewModel, inputs: ReviewInputs, options: BuildIntegrationSpecOptions = {}): IntegrationSpec {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const { inventory, probe, limits } = inputs;
  const baseUrl = model.target?.baseUrl ?? probe?.baseUrl ?? limits?.baseUrl ?? inventory?.servers[0]?.url;
  if (baseUrl === undefined) {
    throw new UsageError('the review names no base URL (no target, probe, limits or servers in the document)', {
      code: 'RECON_INTEGRATION_SPEC_NO_BASE_URL',
      hint: 'run recon probe or recon limits against a target, or add servers to the document',
    });
  }
  const auth = authOf(model, inventory, probe, baseUrl, generatedAt);
  const rateLimits = rateLimitsOf(model, limits, generatedAt);
  const throttle = throttleOf(rateLimits[0]);
  const batch = batchOf(model, rateLimits[0], generatedAt);
  const drift = driftOf(model, probe?.startedAt ?? generatedAt);
  const sha256 = model.vendor.sha256 ?? inventory?.source.sha256;
  const overlay = model.vendor.overlay ?? inputs.overlay;
  const tokenPaths = auth.map((a) => a.tokenEndpoint).filter((url): url is string => url !== undefined).map((url) => new URL(url).pathname);

  return {
    integrationSpec: INTEGRATION_SPEC_FORMAT,
    generatedAt,
    generator: { name: 'recon', version: RECON_VERSION },
    vendor: { name: model.vendor.title, apiVersion: model.vendor.version },
    environment: { target: model.target?.name ?? probe?.target ?? limits?.target ?? 'unknown', baseUrl },
    source: {
      document: {
        location: model.vendor.document,
        ...(sha256 !== undefined ? { sha256 } : {}),
        ...(inventory ? { specVersion: inventory.specVersion } : {}),
      },
      ...(overlay ? { overlay: { file: overlay.file, sha256: overlay.sha256, actions: overlay.actions } } : {}),
    },
    auth,
    rateLimits,
    ...(throttle ? { throttle } : {}),
    latency: latencyOf(model, probe?.startedAt ?? generatedAt),
    retry: retryOf(inventory, generatedAt),
    idempotency: idempotencyOf(model, inventory, probe, tokenPaths, generatedAt),
    pagination: paginationOf(model, probe, generatedAt),
    ...(drift ? { drift } : {}),
    risks: model.risks.map((r) => ({ id: r.id, severity: r.severity, title: r.title, evidence: [...r.evidence], consequence: r.consequence, mitigation: r.mitigation, source: r.source })),
    questions: model.questions.map((q) => ({ id: q.id, ...(q.operation !== undefined ? { operation: q.operation } : {}), question: q.question, evidence: q.evidence })),
    ...(batch ? { batch } : {}),
    ...(model.missing.length > 0 ? { missing: [...model.missing] } : {}),
  };
}

/**
 * Auth as the review saw it. Only what a connector must know, never a credential: the spec has
 * no field that could hold one, so a secret cannot leak through here even by mistake.
 */
function authOf(model: ReviewModel, inventory: Inventory | undefined, probe: ReviewInputs['probe'], baseUrl: string, generatedAt: string): IntegrationSpecAuth[] {
  return model.auth.map((a) => {
    // The model names the document's scheme (`oauth2`), the probe recon.yaml's (`oauth2-client-credentials`).
    const probed = probe?.auth.find((p) => p.scheme === a.scheme) ?? probe?.auth.find((p) => p.type === a.type);
    const tokenUrl = absoluteUrl(tokenUrlOf(inventory, a.scheme, a.type), baseUrl);
    return {
      scheme: a.scheme,
      type: a.type,
      ...(a.works !== undefined ? { works: a.works } : {}),
      ...(tokenUrl !== undefined ? { tokenEndpoint: tokenUrl } : {}),
      ...(probed?.grantedScopes?.length ? { scopes: [...probed.grantedScopes] } : {}),
      ...(a.tokenLifetimeSeconds !== undefined
        ? { tokenLifetimeSeconds: { value: a.tokenLifetimeSeconds, source: 'measured' as const, at: probe?.startedAt ?? generatedAt, evidence: ['expires_in of the token the probe was issued'] } }
        : {}),
      ...(a.toOrder !== undefined ? { toOrder: a.toOrder } : {}),
      ...(a.leadTime !== undefined ? { leadTime: a.leadTime } : {}),
      ...(a.notes.length > 0 ? { notes: [...a.notes] } : {}),
    };
  });
}

/** A document's relative token URL (`/oauth/token`) is relative to the API; one that does not parse is left out. */
function absoluteUrl(url: string | undefined, base: string): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}

/** The documented token URL: the scheme of the same name, else the first OAuth 2 flow with one. */
function tokenUrlOf(inventory: Inventory | undefined, scheme: string, type: string): string | undefined {
  const schemes = inventory?.securitySchemes ?? [];
  const flows = (s: (typeof schemes)[number] | undefined) => Object.values(s?.flows ?? {}).find((f) => f.tokenUrl !== undefined)?.tokenUrl;
  const named = flows(schemes.find((s) => s.name === scheme));
  if (named !== undefined || !/oauth2|jwt/i.test(type)) return named;
  return schemes.map(flows).find((url) => url !== undefined);
}

function retryOf(inventory: Inventory | undefined, generatedAt: string): IntegrationSpecRetry {
  const retryAfter = inventory?.rateLimits.documentedHeaders.find((h) => h.name.toLowerCase() === 'retry-after');
  return {
    ...RETRY_DEFAULTS,
    retryOn: [...RETRY_DEFAULTS.retryOn],
    source: 'assumed',
    at: generatedAt,
    evidence: [
      "recon's runtime defaults",
      ...(retryAfter ? [`the document promises Retry-After on ${retryAfter.operations} operations`] : []),
    ],
  };
}

function driftOf(model: ReviewModel, at: string): IntegrationSpecDrift | undefined {
  if (!model.drift) return undefined;
  const { summary, byOperation } = model.drift;
  return {
    exchanges: summary.exchanges,
    findings: { error: summary.findings.error ?? 0, warning: summary.findings.warning ?? 0, info: summary.findings.info ?? 0 },
    byOperation: byOperation.map((o) => ({ operation: normaliseOperation(o.operation), error: o.error, warning: o.warning, info: o.info, kinds: { ...o.kinds } })),
    source: 'measured',
    at,
  };
}
