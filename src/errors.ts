/**
 * Errors with stable codes and exit codes (DESIGN.md "Exit codes").
 *
 * Match on `code`, never on message text. The CLI's single exit point maps every
 * `ReconError` to its `exitCode` and prints `message` (and `hint`) without a stack trace;
 * anything else is a bug and is reported as such.
 */

/** 0 success; 1 the check found what --fail-on asks to fail on; 2 usage or input; 3 runtime. */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  runtime: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ReconErrorOptions {
  /** One line that tells the user what to do next. */
  hint?: string;
  cause?: unknown;
}

export abstract class ReconError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options: ReconErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** A bad flag, a missing argument, a value out of range. Exit 2. */
export class UsageError extends ReconError {
  readonly code: string;
  readonly exitCode = ExitCode.usage;
  constructor(message: string, options: ReconErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.code = options.code ?? 'RECON_USAGE';
  }
}

export type SpecLoadErrorCode =
  | 'RECON_SPEC_NOT_FOUND'
  | 'RECON_SPEC_IS_DIRECTORY'
  | 'RECON_SPEC_UNREADABLE'
  | 'RECON_SPEC_EMPTY'
  | 'RECON_SPEC_TOO_LARGE'
  | 'RECON_SPEC_SYNTAX'
  | 'RECON_SPEC_UNRECOGNISED'
  | 'RECON_SPEC_UNSUPPORTED_VERSION'
  | 'RECON_SPEC_INVALID'
  | 'RECON_SPEC_UNRESOLVED_REF'
  | 'RECON_SPEC_FETCH_FAILED';

/** Where in which document something went wrong. */
export interface SourceLocation {
  /** File path or URL of the document. */
  source: string;
  /** JSON pointer inside the document, when known. */
  pointer?: string;
  /** 1-based line and column, for syntax errors. */
  line?: number;
  column?: number;
}

/** The API document could not be read, parsed or resolved. Exit 2: the input is at fault. */
export class SpecLoadError extends ReconError {
  readonly exitCode = ExitCode.usage;
  readonly code: SpecLoadErrorCode;
  readonly location: SourceLocation;

  constructor(code: SpecLoadErrorCode, message: string, location: SourceLocation, options: ReconErrorOptions = {}) {
    super(`${formatLocation(location)}: ${message}`, options);
    this.code = code;
    this.location = location;
  }
}

/**
 * The input or a flag is at fault, with a code of its own kind (`RECON_TYPES_…`,
 * `RECON_OVERLAY_…`). Exit 2.
 *
 * @example
 * export class OverlayError extends InputFailure<OverlayErrorCode> {}
 * throw new OverlayError('RECON_OVERLAY_INVALID', 'fix.yaml: actions must be a list');
 */
export class InputFailure<Code extends string = string> extends ReconError {
  readonly exitCode = ExitCode.usage;
  readonly code: Code;
  constructor(code: Code, message: string, options: ReconErrorOptions = {}) {
    super(message, options);
    this.code = code;
  }
}

/** Something outside recon failed at run time (vendor unreachable, store unavailable). Exit 3. */
export class RuntimeFailure<Code extends string = string> extends ReconError {
  readonly exitCode = ExitCode.runtime;
  readonly code: Code;
  constructor(code: Code, message: string, options: ReconErrorOptions = {}) {
    super(message, options);
    this.code = code;
  }
}

/** `file:12:5 #/paths/~1x` — the shape every editor and terminal can jump to. */
export function formatLocation(location: SourceLocation): string {
  let text = location.source;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  if (location.pointer !== undefined && location.pointer !== '') text += ` #${location.pointer}`;
  return text;
}

export function isReconError(error: unknown): error is ReconError {
  return error instanceof ReconError;
}
