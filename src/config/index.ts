/**
 * The review workspace's configuration (`recon.yaml`): find it, load it, validate it against
 * `specs/recon-config.schema.json`, resolve its secret references and write every default out.
 *
 * @example
 * import { findConfig, loadConfig } from './config/index.js';
 *
 * const file = await findConfig(process.cwd());
 * const config = await loadConfig(file ?? 'recon.yaml');
 * const sandbox = config.targets.sandbox;   // baseUrl, auth (secrets resolved), budget, …
 * redactor.scrub(config.secrets);            // every secret value, for redaction
 */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { inlineBodyFiles } from './body-file.js';
import { checkResolvedConfig } from './checks.js';
import { buildConfig } from './defaults.js';
import { ConfigError, sortProblems } from './errors.js';
import type { ConfigFile } from './file-format.js';
import { readConfigText } from './read.js';
import { resolveReferences } from './references.js';
import { CONFIG_SCHEMA_PATH, validateConfigData } from './schema.js';
import type { ReconConfig } from './types.js';
import { parseConfigText } from './yaml-source.js';

export type * from './types.js';
export { ConfigError, formatKeyPath, type ConfigErrorCode, type ConfigProblem, type KeyPath } from './errors.js';
import { CONFIG_DEFAULTS } from './defaults.js';
export { CONFIG_DEFAULTS };
export { CONFIG_FILE_NAME, findConfig } from './find.js';
export { insecureTlsWarning } from './tls-warning.js';
export { CONFIG_SCHEMA_PATH };
export {
  addTargetFlags,
  targetFlagOptions,
  targetFromFlags,
  targetSecrets,
  withTargetFlags,
  TARGET_FLAGS_HELP,
  type TargetFlags,
  type TargetFromFlagsOptions,
} from './target-flags.js';

export interface LoadConfigOptions {
  /** Where `${env:…}` references are read. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** A relative `path` is relative to it; messages show the file relative to it. Default `process.cwd()`. */
  cwd?: string;
}

const SCHEMA_HINT = "the format is in specs/recon-config.schema.json; 'recon init' writes a commented example";

/**
 * Load, validate and resolve a `recon.yaml`. Throws a `ConfigError` (exit 2) that lists every
 * problem with its file, line, column and key path.
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<ReconConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const absolute = resolve(cwd, path);
  const shown = shownPath(absolute, cwd);

  const source = parseConfigText(await readConfigText(absolute, shown), shown);
  const invalid = validateConfigData(source);
  if (invalid.length > 0) throw new ConfigError('RECON_CONFIG_INVALID', shown, sortProblems(invalid), { hint: SCHEMA_HINT });

  const dir = dirname(absolute);
  const resolved = await resolveReferences(source.data, source, { dir, env });
  const file = resolved.data as ConfigFile;
  const unresolved = [...resolved.problems, ...(await inlineBodyFiles(file, source, dir))];
  if (unresolved.length > 0) {
    throw new ConfigError('RECON_CONFIG_UNRESOLVED', shown, sortProblems(unresolved), {
      hint: 'set the environment variables and create the files recon.yaml refers to (paths are relative to recon.yaml)',
    });
  }
  const wrong = checkResolvedConfig(file, source);
  if (wrong.length > 0) throw new ConfigError('RECON_CONFIG_INVALID', shown, sortProblems(wrong), { hint: SCHEMA_HINT });

  return buildConfig(file, { file: absolute, secrets: resolved.secrets });
}

/**
 * Resolve a path written in the config (a target's `spec`, `recordings`) against the config
 * file's directory; URLs and absolute paths are returned unchanged.
 */
export function resolveConfigPath(config: Pick<ReconConfig, 'file'>, path: string): string {
  if (/^https?:\/\//i.test(path) || isAbsolute(path)) return path;
  return resolve(dirname(config.file), path);
}

/**
 * Where a target's recordings go: `<recordings>/<target name>/`, the name made safe for every
 * file system. Without a config (flags alone), `recordings` defaults below `cwd`.
 * @example targetRecordingsDir(config, 'sandbox') // /work/acme-review/fixtures/sandbox
 */
export function targetRecordingsDir(config: Pick<ReconConfig, 'file' | 'recordings'> | undefined, targetName: string, cwd = process.cwd()): string {
  const base = config ? resolveConfigPath(config, config.recordings) : resolve(cwd, CONFIG_DEFAULTS.recordings);
  return join(base, targetName.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** `recon.yaml` when it is in `cwd`, `sub/recon.yaml` below it, else the absolute path. */
function shownPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}
