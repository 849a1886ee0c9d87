/**
 * Every default of the resolved config, written out in one place (the schema's `default`
 * annotations say the same; a test keeps them equal), and the step that applies them.
 */
import type { AuthFile, ConfigFile, ProbeFile, TargetFile } from './file-format.js';
import type { AuthConfig, ProbePlanConfig, ReconConfig, RedactionConfig, TargetConfig, TlsConfig } from './types.js';

export const CONFIG_DEFAULTS = Object.freeze({
  recordings: 'fixtures',
  target: Object.freeze({
    writes: false,
    budget: 200,
    concurrency: 2,
    rateLimit: 5,
    timeoutSeconds: 30,
    maxResponseBytes: 10 * 1024 * 1024,
  }),
  tls: Object.freeze({ rejectUnauthorized: true }),
  apiKeyIn: 'header' as const,
  oauth2AuthMethod: 'client_secret_basic' as const,
  jwtLifetimeSeconds: 120,
  probe: Object.freeze({ maxPages: 3, idempotencyHeader: 'Idempotency-Key' }),
});

/** The resolved config from a validated, reference-resolved file (bodies already inlined). */
export function buildConfig(file: ConfigFile, meta: { file: string; secrets: string[] }): ReconConfig {
  return {
    version: 1,
    file: meta.file,
    targets: Object.fromEntries(Object.entries(file.targets).map(([name, target]) => [name, buildTarget(name, target)])),
    probe: buildProbe(file.probe ?? {}),
    redaction: buildRedaction(file.redaction ?? {}),
    recordings: file.recordings ?? CONFIG_DEFAULTS.recordings,
    secrets: meta.secrets,
  };
}

export function buildTarget(name: string, target: TargetFile): TargetConfig {
  const d = CONFIG_DEFAULTS.target;
  return {
    name,
    baseUrl: target.baseUrl,
    ...(target.spec !== undefined ? { spec: target.spec } : {}),
    auth: buildAuth(target.auth ?? { type: 'none' }),
    tls: buildTls(target.tls ?? {}),
    writes: target.writes ?? d.writes,
    budget: target.budget ?? d.budget,
    concurrency: target.concurrency ?? d.concurrency,
    rateLimit: target.rateLimit ?? d.rateLimit,
    timeoutSeconds: target.timeoutSeconds ?? d.timeoutSeconds,
    maxResponseBytes: target.maxResponseBytes ?? d.maxResponseBytes,
    headers: { ...target.headers },
  };
}

export function buildAuth(auth: AuthFile): AuthConfig {
  switch (auth.type) {
    case 'apiKey':
      return { ...auth, in: auth.in ?? CONFIG_DEFAULTS.apiKeyIn };
    case 'oauth2-client-credentials':
      return { ...auth, authMethod: auth.authMethod ?? CONFIG_DEFAULTS.oauth2AuthMethod };
    case 'jwt-bearer':
      return { ...auth, lifetimeSeconds: auth.lifetimeSeconds ?? CONFIG_DEFAULTS.jwtLifetimeSeconds };
    default:
      return { ...auth };
  }
}

export function buildTls(tls: Partial<TlsConfig>): TlsConfig {
  return { ...tls, rejectUnauthorized: tls.rejectUnauthorized ?? CONFIG_DEFAULTS.tls.rejectUnauthorized };
}

function buildProbe(probe: ProbeFile): ProbePlanConfig {
  return {
    parameters: { ...probe.parameters },
    operations: Object.fromEntries(
      Object.entries(probe.operations ?? {}).map(([operation, plan]) => [
        operation,
        { parameters: { ...plan.parameters }, ...(plan.skip !== undefined ? { skip: plan.skip } : {}) },
      ]),
    ),
    calls: (probe.calls ?? []).map((call) => ({
      operation: call.operation,
      parameters: { ...call.parameters },
      ...(call.body !== undefined ? { body: call.body } : {}),
      headers: { ...call.headers },
      idempotencyCheck: call.idempotencyCheck ?? false,
    })),
    maxPages: probe.maxPages ?? CONFIG_DEFAULTS.probe.maxPages,
    idempotencyHeader: probe.idempotencyHeader ?? CONFIG_DEFAULTS.probe.idempotencyHeader,
  };
}

function buildRedaction(redaction: Partial<RedactionConfig>): RedactionConfig {
  return {
    headers: [...(redaction.headers ?? [])],
    queryParams: [...(redaction.queryParams ?? [])],
    jsonPaths: [...(redaction.jsonPaths ?? [])],
  };
}
