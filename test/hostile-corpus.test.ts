/**
 * Every entry of the hostile-input corpus (fixtures/bad/MANIFEST.json) through the built CLI, as a
 * user would meet it: the documented exit code, a clear message (naming the file, and the line
 * where it applies), no stack trace, done within 20 s, and within a 256 MB heap.
 *
 * HOSTILE_RECORD=1 prints what each entry did instead of asserting, to write a new entry's
 * expectations (then read them, and keep only those that are right).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, entryWorkspace, expandArgs, readManifest, startHostileVendor, type HostileVendor, type ManifestEntry } from './helpers/hostile-corpus.js';
import { ranOutOfMemory, runBounded, stackTraceLines, type BoundedRun } from './helpers/hostile-run.js';
import { ROOT } from './helpers/recon-cli.js';

const TIME_BOUND_MS = 20_000;
const HEAP_MB = 256;
const CONCURRENCY = 2;
const RECORD = process.env.HOSTILE_RECORD === '1';

const ONLY = process.env.HOSTILE_ONLY === undefined ? undefined : new RegExp(process.env.HOSTILE_ONLY);
const entries = (await readManifest()).filter((entry) => ONLY === undefined || ONLY.test(entry.id));

describe('hostile-input corpus (fixtures/bad/MANIFEST.json)', () => {
  let vendor: HostileVendor;
  let tmp: string;
  const results = new Map<string, BoundedRun & { entry: ManifestEntry }>();

  beforeAll(async () => {
    vendor = await startHostileVendor();
    tmp = await mkdtemp(join(tmpdir(), 'recon-hostile-'));
    // Run the whole corpus up front, two children at a time; each `it` below reads its result.
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const index = next++;
        const entry = entries[index]!;
        const route = `e${index}`;
        if (entry.vendor) await vendor.route(route, entry.vendor);
        const { ws, file } = await entryWorkspace(join(tmp, route), entry, `${vendor.url}/v/${route}`);
        const args = expandArgs(entry.args, { file, ws, out: join(ws, 'out'), vendor: `${vendor.url}/v/${route}`, api: join(CORPUS, 'vendor', 'api.yaml'), fixtures: join(ROOT, 'fixtures') });
        const run = await runBounded(args, { cwd: ws, timeoutMs: TIME_BOUND_MS, heapMb: HEAP_MB });
        results.set(entry.id, { ...run, entry });
        await rm(ws, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (RECORD) {
      const out = Object.fromEntries([...results].map(([id, r]) => [id, { exit: r.code, ms: r.ms, timedOut: r.timedOut, oom: ranOutOfMemory(r), stack: stackTraceLines(r.stdout + r.stderr).length, stderr: r.stderr.slice(0, 600), stdout: r.stdout.slice(0, 300) }]));
      await writeFile(process.env.HOSTILE_RECORD_OUT ?? join(tmp, '..', 'hostile-record.json'), JSON.stringify(out, null, 1));
    }
  }, 300_000);

  afterAll(async () => {
    await vendor?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('has at least 60 hostile inputs, every one with a command, an exit code and a message', () => {
    if (ONLY === undefined) expect(new Set(entries.map((e) => e.file ?? JSON.stringify(e.vendor))).size).toBeGreaterThanOrEqual(60);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    if (RECORD) return;
    for (const entry of entries) {
      expect([0, 1, 2, 3], entry.id).toContain(entry.exit);
      expect(entry.message, entry.id).not.toBe('');
    }
  });

  it.each(entries.map((entry) => [entry.id, entry] as const))('%s', (id, entry) => {
    const run = results.get(id)!;
    expect(run, `${id} did not run`).toBeDefined();
    if (RECORD) return;
    const output = `${run.stdout}\n${run.stderr}`;
    const shown = `exit ${run.code} ${run.signal ?? ''} in ${run.ms} ms\n--- stdout\n${run.stdout.slice(0, 2000)}\n--- stderr\n${run.stderr.slice(0, 2000)}`;
    expect(run.timedOut, `${id} took longer than ${TIME_BOUND_MS} ms\n${shown}`).toBe(false);
    expect(ranOutOfMemory(run), `${id} ran out of its ${HEAP_MB} MB heap\n${shown}`).toBe(false);
    expect(stackTraceLines(output), `${id} printed a stack trace\n${shown}`).toEqual([]);
    expect(output, `${id}: the message\n${shown}`).toMatch(new RegExp(entry.message));
    expect(run.code, `${id}: the exit code\n${shown}`).toBe(entry.exit);
  });
});
