/**
 * `loadConnector(file)`: read a connector (YAML or module), validate it, write its defaults out,
 * and resolve everything it names, so that the runner gets one value it can trust.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { sortProblems } from '../../config/errors.js';
import { ConnectorDefinitionError } from './errors.js';
import { withDefaults, type ConnectorInput } from './defaults.js';
import { checkDefinition } from './checks.js';
import type { LoadedConnector } from './loaded.js';
import { CONNECTOR_HINT, readDefinition } from './read.js';
import { checkPathParameters, resolveConfig, resolveOperation, resolveRateLimit, resolveSpec, resolveTarget } from './resolve.js';
import { validateConnectorData } from './schema.js';

export interface LoadConnectorOptions {
  /** A relative `file` is relative to it; messages show files relative to it. Default `process.cwd()`. */
  cwd?: string;
  /** Where recon.yaml's `${env:…}` references are read. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Throws `ConnectorDefinitionError` (exit 2) with every problem placed by file, line and column,
 * or the `ConfigError` / `SpecLoadError` of the files the connector names.
 *
 * @example
 * const loaded = await loadConnector('connectors/push-invoices.yaml', { env: process.env });
 * loaded.operation.operationId;   // 'createInvoice'
 * loaded.rateLimit;               // { limit: 60, windowSeconds: 60, source: 'integration-spec', … }
 */
export async function loadConnector(file: string, options: LoadConnectorOptions = {}): Promise<LoadedConnector> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const absolute = resolve(cwd, file);
  const { source, map } = await readDefinition(absolute, shownPath(absolute, cwd));

  const invalid = validateConnectorData(source);
  if (invalid.length > 0) throw new ConnectorDefinitionError('RECON_CONNECTOR_INVALID', source.shown, sortProblems(invalid), { hint: CONNECTOR_HINT });
  const definition = withDefaults({ ...(source.data as ConnectorInput), file: absolute });
  const wrong = checkDefinition(definition, source);
  if (wrong.length > 0) throw new ConnectorDefinitionError('RECON_CONNECTOR_INVALID', source.shown, sortProblems(wrong), { hint: CONNECTOR_HINT });

  const config = await resolveConfig(definition, { cwd, env });
  const target = resolveTarget(definition, config, source);
  const spec = await resolveSpec(config, target, source, cwd);
  const operation = resolveOperation(spec, definition.operation, ['operation'], source);
  if (!map) checkPathParameters(operation, definition.request, ['request'], source);
  const lookup = definition.idempotency.lookup;
  const lookupOperation = lookup ? resolveOperation(spec, lookup.operation, ['idempotency', 'lookup', 'operation'], source) : undefined;
  if (lookup && lookupOperation) checkPathParameters(lookupOperation, lookup.request ?? {}, ['idempotency', 'lookup', 'request'], source);
  const rateLimit = await resolveRateLimit(definition, source);

  return { definition, config, target, spec, operation, ...(lookupOperation ? { lookupOperation } : {}), rateLimit, ...(map ? { map } : {}) };
}

/** `connectors/push.yaml` when inside `cwd`, else the absolute path. */
function shownPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}
