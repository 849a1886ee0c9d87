/**
 * Where the CLI writes: stdout for data, stderr for people. Colour follows the conventions
 * users expect: FORCE_COLOR wins (0 turns it off), then NO_COLOR (https://no-color.org), then
 * whether the stream is a terminal.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Output {
  stdout: Stream;
  stderr: Stream;
  /** Colours for what goes to stdout / stderr. */
  color: ChalkInstance;
  errColor: ChalkInstance;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Write a line of data to stdout. */
  out(line?: string): void;
  /** Write a line for people to stderr. */
  err(line?: string): void;
  /** Print one JSON document on stdout and nothing else (DESIGN.md "Machine output"). */
  json(value: unknown): void;
  /** Set by a command that succeeded but found what --fail-on asks to fail on. */
  exitCode: number;
}

export function colorLevel(stream: Stream, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === 'false') return 0;
    const level = Number.parseInt(force, 10);
    return Number.isNaN(level) ? 1 : (Math.max(0, Math.min(level, 3)) as 0 | 1 | 2 | 3);
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' ? 3 : 2;
}

export function createOutput(options: { stdout?: Stream; stderr?: Stream; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  return {
    stdout,
    stderr,
    env,
    cwd: options.cwd ?? process.cwd(),
    color: new Chalk({ level: colorLevel(stdout, env) }),
    errColor: new Chalk({ level: colorLevel(stderr, env) }),
    out: (line = '') => void stdout.write(line + '\n'),
    err: (line = '') => void stderr.write(line + '\n'),
    json: (value) => void stdout.write(JSON.stringify(value, null, 2) + '\n'),
    exitCode: 0,
  };
}
