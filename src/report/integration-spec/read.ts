/**
 * Read an `integration-spec.yaml`: parse it keeping the YAML tree (recon.yaml's parser, so that
 * every problem names its line and column the same way), refuse a newer format with a clear
 * "upgrade recon", migrate an older one, and validate it against the schema.
 */
import { readFile, stat } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigError, sortProblems } from '../../config/errors.js';
import { parseConfigText, type ConfigSource } from '../../config/yaml-source.js';
import { IntegrationSpecError, type IntegrationSpecErrorCode } from './errors.js';
import { formatOf, migrateIntegrationSpec } from './migrate.js';
import { INTEGRATION_SPEC_FORMAT, type IntegrationSpec } from './types.js';
import { validateIntegrationSpec } from './validate.js';

/** Larger than recon.yaml's limit: a spec lists every operation of a vendor with hundreds. */
export const MAX_INTEGRATION_SPEC_BYTES = 16 * 1024 * 1024;

const REGENERATE = 'fix it by hand (the format is in specs/integration-spec.schema.json) or regenerate it from the review folder with `recon report`';

/**
 * @example
 * const spec = await readIntegrationSpec('review/integration-spec.yaml');
 * createThrottle({ limit: spec.throttle.limit, windowSeconds: spec.throttle.windowSeconds });
 */
export async function readIntegrationSpec(path: string): Promise<IntegrationSpec> {
  return parseIntegrationSpec(await readText(path), path);
}

/**
 * The same from text; `shown` is the file name messages use.
 *
 * @example
 * parseIntegrationSpec('integrationSpec: 2\n', 'integration-spec.yaml')
 * // throws RECON_INTEGRATION_SPEC_TOO_NEW: "integration-spec.yaml:1:1 integrationSpec: written by a newer recon (format 2); …"
 */
export function parseIntegrationSpec(text: string, shown: string): IntegrationSpec {
  const source = parseYaml(text, shown);
  const format = formatOf(source.data);
  if (format !== undefined && format > INTEGRATION_SPEC_FORMAT) {
    throw new IntegrationSpecError(
      'RECON_INTEGRATION_SPEC_TOO_NEW',
      shown,
      [source.problem(['integrationSpec'], `written by a newer recon (format ${format}); this recon reads format ${INTEGRATION_SPEC_FORMAT}: upgrade recon`)],
      { hint: 'npm install recon@latest, or regenerate the spec with this recon' },
    );
  }
  const migrated = migrateIntegrationSpec(source.data);
  const problems = validateIntegrationSpec(migrated.data, (path) => source.locate(migrated.pathBefore(path)));
  if (problems.length > 0) {
    const from = migrated.applied.length > 0 ? ` (after migrating it from format ${migrated.from}: ${migrated.applied.join('; ')})` : '';
    throw new IntegrationSpecError('RECON_INTEGRATION_SPEC_INVALID', shown, sortProblems(problems), { hint: REGENERATE + from });
  }
  return migrated.data as IntegrationSpec;
}

/**
 * recon.yaml's parser, with its errors re-issued under this file's codes and hints. Its
 * messages for an empty file and a non-mapping are about recon.yaml, so those two are told here.
 */
function parseYaml(text: string, shown: string): ConfigSource {
  try {
    return parseConfigText(text, shown);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (error.code === 'RECON_CONFIG_SYNTAX') throw new IntegrationSpecError('RECON_INTEGRATION_SPEC_SYNTAX', shown, [...error.problems], { cause: error, hint: REGENERATE });
    const data: unknown = parse(text);
    if (data === null || data === undefined) {
      throw new IntegrationSpecError('RECON_INTEGRATION_SPEC_INVALID', shown, [{ path: '', message: 'the file is empty' }], { hint: REGENERATE });
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
      const found = Array.isArray(data) ? 'a list' : 'a single value';
      throw new IntegrationSpecError('RECON_INTEGRATION_SPEC_INVALID', shown, [{ ...error.problems[0], path: '', message: `expected a mapping of keys (integrationSpec, vendor, …), found ${found}` }], { hint: REGENERATE });
    }
    throw new IntegrationSpecError('RECON_INTEGRATION_SPEC_INVALID', shown, [...error.problems], { cause: error, hint: REGENERATE });
  }
}

async function readText(path: string): Promise<string> {
  const fail = (code: IntegrationSpecErrorCode, message: string, cause?: unknown) => new IntegrationSpecError(code, path, [{ path: '', message }], { cause, hint: REGENERATE });
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw fail('RECON_INTEGRATION_SPEC_UNREADABLE', 'is a directory, not a file');
    if (info.size > MAX_INTEGRATION_SPEC_BYTES) throw fail('RECON_INTEGRATION_SPEC_UNREADABLE', `is ${info.size} bytes; an integration spec is at most ${MAX_INTEGRATION_SPEC_BYTES}`);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof IntegrationSpecError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fail('RECON_INTEGRATION_SPEC_NOT_FOUND', 'no such file', error);
    throw fail('RECON_INTEGRATION_SPEC_UNREADABLE', `cannot read the file (${code ?? String(error)})`, error);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw fail('RECON_INTEGRATION_SPEC_UNREADABLE', 'is not valid UTF-8 text', error);
  }
}
