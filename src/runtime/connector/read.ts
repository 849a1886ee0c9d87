/**
 * Read a connector definition from its file: YAML (placed problems, line and column) or an ES
 * module whose default export is the definition (`export default defineConnector({...})`) and
 * which may export `map` for custom mapping.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, formatKeyPath } from '../../config/index.js';
import { parseConfigText } from '../../config/yaml-source.js';
import { ConnectorDefinitionError } from './errors.js';
import type { RecordMapper } from './loaded.js';
import type { DefinitionSource } from './schema.js';

/** A connector file is a page; a file this large is something else passed by mistake. */
export const MAX_CONNECTOR_BYTES = 1024 * 1024;

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);
/** Node 20 imports no TypeScript by itself. */
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

export interface ReadDefinition {
  source: DefinitionSource;
  map?: RecordMapper;
}

/** @example const { source } = await readDefinition('/abs/connectors/push.yaml', 'connectors/push.yaml') */
export async function readDefinition(absolute: string, shown: string): Promise<ReadDefinition> {
  const extension = extname(absolute).toLowerCase();
  if (TYPESCRIPT_EXTENSIONS.has(extension)) {
    throw new ConnectorDefinitionError('RECON_CONNECTOR_SYNTAX', shown, [{ path: '', message: 'Node.js cannot import TypeScript by itself' }], {
      hint: 'compile the connector to .js or .mjs (tsc) and run that file',
    });
  }
  return MODULE_EXTENSIONS.has(extension) ? readModule(absolute, shown) : readYaml(absolute, shown);
}

async function readYaml(absolute: string, shown: string): Promise<ReadDefinition> {
  let text: string;
  try {
    const bytes = await readFile(absolute);
    if (bytes.length > MAX_CONNECTOR_BYTES) throw notFound(shown, `is ${bytes.length} bytes; a connector file is at most ${MAX_CONNECTOR_BYTES}`);
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof ConnectorDefinitionError) throw error;
    throw notFound(shown, describeReadError(error), error);
  }
  try {
    // Shared with recon.yaml: YAML positions, alias limits, `__proto__` keys refused.
    const source = parseConfigText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, shown);
    return { source: { shown, data: source.data, problem: source.problem } };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.map((p) => ({ ...p, message: p.message.replace('(version, targets, …)', '(name, config, operation, …)') }));
    const code = error.code === 'RECON_CONFIG_SYNTAX' ? 'RECON_CONNECTOR_SYNTAX' : 'RECON_CONNECTOR_INVALID';
    throw new ConnectorDefinitionError(code, shown, problems, { cause: error, hint: CONNECTOR_HINT });
  }
}

async function readModule(absolute: string, shown: string): Promise<ReadDefinition> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ENOENT') throw notFound(shown, 'no such file', error);
    throw new ConnectorDefinitionError('RECON_CONNECTOR_SYNTAX', shown, [{ path: '', message: `cannot import the module: ${firstLine(error)}` }], { cause: error });
  }
  const data = module.default;
  if (data === null || typeof data !== 'object') {
    throw new ConnectorDefinitionError('RECON_CONNECTOR_SYNTAX', shown, [{ path: '', message: 'the module has no default export; write `export default defineConnector({...})`' }]);
  }
  if (module.map !== undefined && typeof module.map !== 'function') {
    throw new ConnectorDefinitionError('RECON_CONNECTOR_INVALID', shown, [{ path: 'map', message: 'the `map` export must be a function (record, { id, key }) => { path, query, headers, body }' }]);
  }
  // The definition is validated as data; `file` is recon's to set.
  const { file: _file, ...plain } = data as Record<string, unknown>;
  return {
    source: { shown, data: plain, problem: (path, message) => ({ path: formatKeyPath(path), message }) },
    ...(module.map ? { map: module.map as RecordMapper } : {}),
  };
}

export const CONNECTOR_HINT = 'the format is in specs/connector.schema.json; fixtures/connectors/ has examples';

function notFound(shown: string, message: string, cause?: unknown): ConnectorDefinitionError {
  return new ConnectorDefinitionError('RECON_CONNECTOR_NOT_FOUND', shown, [{ path: '', message }], { cause });
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a connector file';
  if (error instanceof TypeError) return 'is not valid UTF-8 text';
  return `cannot read the file (${code ?? String(error)})`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
