/**
 * Config errors: every problem found in a `recon.yaml`, each with the file, line, column and key
 * path, in one error so that the user fixes them all in one go.
 */
import { ExitCode, ReconError, type ReconErrorOptions } from '../errors.js';

export type ConfigErrorCode =
  /** The file does not exist. */
  | 'RECON_CONFIG_NOT_FOUND'
  /** A directory, too large, not UTF-8, no permission. */
  | 'RECON_CONFIG_UNREADABLE'
  /** Not YAML: syntax errors, alias bombs, nesting too deep. */
  | 'RECON_CONFIG_SYNTAX'
  /** YAML, but not a valid recon.yaml: unknown keys, wrong types, literal secrets, empty file. */
  | 'RECON_CONFIG_INVALID'
  /** A `${env:…}` or `${file:…}` reference or a `bodyFile` that cannot be resolved. */
  | 'RECON_CONFIG_UNRESOLVED';

/** Key path segments: map keys and sequence indices, from the document's root. */
export type KeyPath = readonly (string | number)[];

export interface ConfigProblem {
  /** 1-based; absent when the problem has no place in the file (e.g. it is empty). */
  line?: number;
  column?: number;
  /** `targets.sandbox.auth.clientSecret`; empty for the document as a whole. */
  path: string;
  message: string;
}

/** Most problems written into the message; `problems` holds them all. */
const MAX_LISTED = 50;

/**
 * A file that cannot be used, with every problem found in it (file, line, column, key path), so
 * that the user fixes them all in one go. Exit 2: the input is at fault. recon.yaml, connector
 * definitions and integration specs each have their own subclass and codes.
 */
export abstract class FileProblemsError<Code extends string> extends ReconError {
  readonly exitCode = ExitCode.usage;
  readonly code: Code;
  /** The file as shown to the user (relative to the working directory when inside it). */
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(code: Code, file: string, problems: ConfigProblem[], options: ReconErrorOptions = {}, format: ProblemFormat = {}) {
    super(formatProblems(file, problems, format), options);
    this.code = code;
    this.file = file;
    this.problems = problems;
  }
}

/** A `recon.yaml` that cannot be used. Exit 2: the input is at fault. */
export class ConfigError extends FileProblemsError<ConfigErrorCode> {}

/** How problems are listed: at most `max` of them; `colonAfterPlace` writes `file:3:5: path: …`. */
export interface ProblemFormat {
  max?: number;
  colonAfterPlace?: boolean;
}

/**
 * `recon.yaml:12:7 targets.sandbox.auth.clientSecret: …`, one line per problem.
 *
 * @example
 * formatProblems('recon.yaml', [{ line: 3, column: 5, path: 'version', message: 'must be 1' }]); // 'recon.yaml:3:5 version: must be 1'
 */
export function formatProblems(file: string, problems: readonly ConfigProblem[], format: ProblemFormat = {}): string {
  const max = format.max ?? MAX_LISTED;
  const lines = problems.slice(0, max).map((problem) => formatProblem(file, problem, format.colonAfterPlace === true));
  if (problems.length > max) lines.push(`… and ${problems.length - max} more`);
  if (lines.length === 1) return lines[0]!;
  return `${file} has ${problems.length} problems:\n` + lines.map((line) => `  ${line}`).join('\n');
}

function formatProblem(file: string, problem: ConfigProblem, colonAfterPlace: boolean): string {
  let where = file;
  if (problem.line !== undefined) where += `:${problem.line}` + (problem.column !== undefined ? `:${problem.column}` : '');
  return problem.path === '' ? `${where}: ${problem.message}` : `${where}${colonAfterPlace ? ':' : ''} ${problem.path}: ${problem.message}`;
}

/** `probe.calls[0].bodyFile`; keys that are not plain words are quoted: `operations["GET /x"]`. */
export function formatKeyPath(path: KeyPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Problems in file order. */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
