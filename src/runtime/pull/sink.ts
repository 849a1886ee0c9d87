/**
 * Where a pull's records go, one JSON document a line (NDJSON):
 *   - a file, appended and fsync'd after every page, so a page counts as delivered once it is
 *     on disk (`durable`: the position may move past it at once);
 *   - a command's stdin, spawned once per run. What the command has read is not acknowledged,
 *     so its pages count as delivered only when it exits 0 (`durable` false: the position moves
 *     at the end of the run). A non-zero exit, or a command that cannot start, fails the run.
 */
import { spawn } from 'node:child_process';
import { open, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { PullSink } from '../connector/index.js';
import { PullError } from './errors.js';

export interface RecordSink {
  /** True: records are safe once `write` resolves. False: only once `close` resolves. */
  readonly durable: boolean;
  write(records: unknown[]): Promise<void>;
  /** Finish (the command's exit 0); rejects with `PullError` when the sink failed. */
  close(): Promise<void>;
  /** Give up: close the file, or end the command's stdin and wait for it, ignoring its exit. */
  abandon(): Promise<void>;
}

/** @example const sink = await openSink({ file: 'customers.ndjson' }, dirname(connectorFile)); */
export async function openSink(sink: PullSink, baseDir: string): Promise<RecordSink> {
  return 'file' in sink ? openFileSink(resolve(baseDir, sink.file)) : openCommandSink(sink.command, baseDir);
}

function ndjson(records: unknown[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

async function openFileSink(file: string): Promise<RecordSink> {
  const failed = (error: unknown): PullError =>
    new PullError('RECON_PULL_SINK_FAILED', `sink ${file}: ${(error as Error).message}`, { cause: error, hint: 'check the path and the free space; the position stays at the last page written' });
  let handle;
  try {
    await mkdir(dirname(file), { recursive: true });
    handle = await open(file, 'a');
  } catch (error) {
    throw failed(error);
  }
  const fd = handle;
  return {
    durable: true,
    async write(records) {
      if (records.length === 0) return;
      try {
        await fd.appendFile(ndjson(records), 'utf8');
        await fd.sync();
      } catch (error) {
        throw failed(error);
      }
    },
    close: () => fd.close(),
    abandon: () => fd.close(),
  };
}

function openCommandSink(command: string[], cwd: string): Promise<RecordSink> {
  const shown = command.join(' ');
  const child = spawn(command[0]!, command.slice(1), { cwd, stdio: ['pipe', 'inherit', 'inherit'] });
  let startError: Error | undefined;
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('error', (error) => {
      startError = error;
      resolveExit(null);
    });
    child.once('close', (code) => resolveExit(code));
  });
  // A command that stops reading early: its exit code tells what happened, not EPIPE.
  child.stdin.on('error', () => {});
  const failure = (why: string, cause?: unknown) =>
    new PullError('RECON_PULL_SINK_FAILED', `sink command ${shown}: ${why}`, { ...(cause ? { cause } : {}), hint: 'the position was not moved: the records of this run are fetched again next time' });
  const sink: RecordSink = {
    durable: false,
    async write(records) {
      if (startError) throw failure(startError.message, startError);
      if (records.length === 0 || child.stdin.destroyed) return;
      if (!child.stdin.write(ndjson(records))) {
        await new Promise<void>((done) => {
          child.stdin.once('drain', done);
          void exited.then(() => done());
        });
      }
    },
    async close() {
      child.stdin.end();
      const code = await exited;
      if (startError) throw failure(startError.message, startError);
      if (code !== 0) throw failure(code === null ? 'killed by a signal' : `exited with ${code}`);
    },
    async abandon() {
      child.stdin.end();
      await exited;
    },
  };
  return Promise.resolve(sink);
}
