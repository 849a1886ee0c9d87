/**
 * Resolve what a connector names: recon.yaml and its target, the vendor document with the
 * review's overlay, the operations, and the rate limit.
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { closestMatch } from '../../config/suggest.js';
import { loadConfig, resolveConfigPath, type KeyPath, type ReconConfig, type TargetConfig } from '../../config/index.js';
import { readIntegrationSpec } from '../../report/integration-spec/index.js';
import { loadSpec, readOverlay, type ApiSpec, type LoadedOverlay, type OperationModel } from '../../spec/index.js';
import { ConnectorDefinitionError, type ConnectorDefinitionErrorCode } from './errors.js';
import type { ResolvedRateLimit } from './loaded.js';
import { closeOperations, findOperation } from './operation.js';
import type { DefinitionSource } from './schema.js';
import type { ConnectorDefinition, RequestTemplate } from './types.js';

/** Where the review writes its corrections, relative to recon.yaml's folder. */
export const OVERLAY_FILE = join('review', 'overlay.yaml');

export interface ResolveOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export async function resolveConfig(definition: ConnectorDefinition, options: ResolveOptions): Promise<ReconConfig> {
  return loadConfig(resolve(dirname(definition.file!), definition.config), { env: options.env, cwd: options.cwd });
}

export function resolveTarget(definition: ConnectorDefinition, config: ReconConfig, source: DefinitionSource): TargetConfig {
  const names = Object.keys(config.targets);
  if (definition.target === undefined) {
    if (names.length === 1) return config.targets[names[0]!]!;
    fail('RECON_CONNECTOR_UNRESOLVED', source, [], `recon.yaml has ${names.length} targets (${names.join(', ')}); say which with 'target:'`);
  }
  const target = Object.hasOwn(config.targets, definition.target) ? config.targets[definition.target] : undefined;
  if (target) return target;
  const guess = closestMatch(definition.target, names);
  return fail('RECON_CONNECTOR_UNRESOLVED', source, ['target'], `recon.yaml has no target '${definition.target}'${guess ? ` (did you mean '${guess}'?)` : ''}; its targets: ${names.join(', ')}`);
}

/** The target's document with `review/overlay.yaml` (beside recon.yaml) applied when it exists. */
export async function resolveSpec(config: ReconConfig, target: TargetConfig, source: DefinitionSource, cwd: string): Promise<ApiSpec> {
  if (target.spec === undefined) {
    return fail('RECON_CONNECTOR_UNRESOLVED', source, ['target'], `target '${target.name}' in ${config.file} has no 'spec:'; a connector needs the vendor's API document to find its operation and validate bodies`);
  }
  const overlayPath = join(dirname(config.file), OVERLAY_FILE);
  const overlays: LoadedOverlay[] = (await isFile(overlayPath)) ? [await readOverlay(overlayPath)] : [];
  return loadSpec(resolveConfigPath(config, target.spec), { cwd, overlays });
}

export function resolveOperation(spec: ApiSpec, name: string, at: KeyPath, source: DefinitionSource): OperationModel {
  const operation = findOperation(spec, name);
  if (operation) return operation;
  const close = closeOperations(spec, name);
  const suggestion = close.length > 0 ? `; close matches: ${close.join(', ')}` : '; write an operationId or "METHOD /path/template"';
  return fail('RECON_CONNECTOR_UNKNOWN_OPERATION', source, at, `'${name}' is not an operation in ${spec.source.shown}${suggestion}`);
}

/** Every `{name}` in the operation's path must have a value, and no other name may be given. */
export function checkPathParameters(operation: OperationModel, request: RequestTemplate, at: KeyPath, source: DefinitionSource): void {
  const wanted = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const given = Object.keys(request.path ?? {});
  const missing = wanted.filter((name) => !given.includes(name));
  const unknown = given.filter((name) => !wanted.includes(name));
  const problems = [
    ...missing.map((name) => source.problem(at, `${operation.path} needs the path parameter '${name}': add 'path: { ${name}: "\${/…}" }' to the request`)),
    ...unknown.map((name) => source.problem([...at, 'path', name], `${operation.path} has no path parameter '${name}'${wanted.length ? ` (it has: ${wanted.join(', ')})` : ''}`)),
  ];
  if (problems.length > 0) throw new ConnectorDefinitionError('RECON_CONNECTOR_INVALID', source.shown, problems);
}

/**
 * The connector's own `rateLimit` wins, but only to go lower than the review measured: sending
 * faster than the vendor's measured limit buys 429s, not speed. Without one, the integration
 * spec's first (global) limit.
 */
export async function resolveRateLimit(definition: ConnectorDefinition, source: DefinitionSource): Promise<ResolvedRateLimit> {
  const own = definition.rateLimit;
  const measured = definition.integrationSpec === undefined ? undefined : await readMeasuredLimit(definition, source, own === undefined);
  if (own && measured && own.limit / own.windowSeconds > measured.limit / measured.windowSeconds) {
    fail('RECON_CONNECTOR_INVALID', source, ['rateLimit'], `${own.limit} per ${own.windowSeconds} s is faster than the ${measured.limit} per ${measured.windowSeconds} s that ${definition.integrationSpec} says the vendor allows; 'rateLimit' may only go lower (remove 'integrationSpec' to override the review)`);
  }
  if (own) return { ...own, source: 'connector' };
  return measured!;
}

async function readMeasuredLimit(definition: ConnectorDefinition, source: DefinitionSource, required: boolean): Promise<ResolvedRateLimit | undefined> {
  const spec = await readIntegrationSpec(resolve(dirname(definition.file!), definition.integrationSpec!));
  const first = spec.rateLimits[0];
  if (first) return { limit: first.limit.value, windowSeconds: first.windowSeconds.value, source: 'integration-spec', provenance: first.limit.source };
  if (!required) return undefined;
  return fail('RECON_CONNECTOR_UNRESOLVED', source, ['integrationSpec'], `${definition.integrationSpec} lists no rate limit; give 'rateLimit: { limit, windowSeconds }' in the connector`);
}

function fail(code: ConnectorDefinitionErrorCode, source: DefinitionSource, at: KeyPath, message: string): never {
  throw new ConnectorDefinitionError(code, source.shown, [source.problem(at, message)]);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
