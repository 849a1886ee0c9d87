/**
 * Run the built CLI under the limits the hostile-input suite promises: a wall-clock bound (the
 * child is killed when it passes it), a small heap (`--max-old-space-size`), a clean environment.
 */
import { spawn } from 'node:child_process';
import { BIN, ROOT } from './recon-cli.js';

export interface BoundedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export interface BoundedRunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  heapMb?: number;
  stdin?: string | Buffer;
}

/** Output kept per stream: a runaway child must not take the test runner's memory with it. */
const MAX_CAPTURE = 4 * 1024 * 1024;

/**
 * @example const run = await runBounded(['spec', 'bad.yaml'], { timeoutMs: 20_000 });
 */
export function runBounded(args: string[], options: BoundedRunOptions = {}): Promise<BoundedRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_OPTIONS: `--max-old-space-size=${options.heapMb ?? 256}`,
        NO_COLOR: '1',
        ...options.env,
      },
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const keep = (text: string, add: Buffer) => (text.length < MAX_CAPTURE ? text + add.toString() : text);
    child.stdout!.on('data', (d: Buffer) => (stdout = keep(stdout, d)));
    child.stderr!.on('data', (d: Buffer) => (stderr = keep(stderr, d)));
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** Lines of a stack trace (`    at fn (file:1:2)`) in a child's output. */
export function stackTraceLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\s+at .+(\(|:\d+)/.test(line));
}

/** The V8 messages of a child that ran out of heap. */
export function ranOutOfMemory(run: BoundedRun): boolean {
  return /heap out of memory|Allocation failed|FATAL ERROR/i.test(run.stderr) || run.signal === 'SIGABRT' || run.code === 134;
}
