/**
 * `recon drift` through the built binary: outputs, exit codes, files written, bad input, and a
 * canary secret that must reach no artifact.
 */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRecon } from './helpers/recon-cli.js';

const SPEC = 'specs/acme-erp.openapi.yaml';
const RELEASE_1 = 'fixtures/drift/acme/release-1.har';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-drift-cli-'));
});

describe('recon drift', () => {
  it('prints a summary grouped by operation and exits 1 on errors (--fail-on error, the default)', async () => {
    const run = await runRecon(['drift', '--spec', SPEC, '--har', RELEASE_1]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('GET /invoices');
    expect(run.stdout).toMatch(/type-mismatch\s+200 \/data\/\*\/amount/);
    expect(run.stderr).toMatch(/finding\(s\) of severity error or worse/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('--fail-on never exits 0; --json prints one JSON document', async () => {
    const run = await runRecon(['drift', '--spec', SPEC, '--from', 'fixtures/drift/acme', '--json', '--fail-on', 'never']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.recordings).toHaveLength(2);
    expect(report.summary.findings.error).toBeGreaterThan(0);
  });

  it('writes the overlay, and diffing with it applied passes --fail-on warning', async () => {
    const overlay = join(dir, 'acme.overlay.yaml');
    const first = await runRecon(['drift', '--spec', SPEC, '--har', RELEASE_1, '--overlay-out', overlay, '--fail-on', 'never']);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/wrote .*acme\.overlay\.yaml: \d+ action\(s\)/);
    const again = await runRecon(['drift', '--spec', SPEC, '--har', RELEASE_1, '--overlay', overlay, '--fail-on', 'warning', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).spec.overlays).toEqual([overlay]);
  });

  it.each(['markdown', 'junit', 'sarif'])('--format %s --out FILE writes the file', async (format) => {
    const out = join(dir, `report.${format}`);
    const run = await runRecon(['drift', '--spec', SPEC, '--har', RELEASE_1, '--format', format, '--out', out, '--fail-on', 'never']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const text = await readFile(out, 'utf8');
    expect(text.length).toBeGreaterThan(500);
    if (format === 'sarif') {
      const sarif = JSON.parse(text);
      expect(sarif.version).toBe('2.1.0');
      // Regions point at the line of the vendor document that names the schema concerned.
      const email = sarif.runs[0].results.find((r: { ruleId: string; message: { text: string } }) => r.ruleId === 'format-mismatch' && r.message.text.includes('email'));
      const line = email.locations[0].physicalLocation.region.startLine as number;
      expect((await readFile(SPEC, 'utf8')).split('\n')[line - 1]).toMatch(/^\s+email:/);
    }
  });

  it.each([
    ['no recordings', ['--spec', SPEC], /--har FILE or --from DIR/],
    ['a missing HAR', ['--spec', SPEC, '--har', 'nope.har'], /nope\.har/],
    ['a document that is not OpenAPI', ['--spec', 'fixtures/bad/not-openapi.yaml', '--har', RELEASE_1], /not-openapi\.yaml/],
    ['not a HAR', ['--spec', SPEC, '--har', 'fixtures/drift/recordings/not-har.json'], /not-har\.json.*HAR|HAR.*not-har\.json/],
    ['a missing overlay', ['--spec', SPEC, '--har', RELEASE_1, '--overlay', 'nope.yaml'], /nope\.yaml: no such file/],
    ['a bad --format', ['--spec', SPEC, '--har', RELEASE_1, '--format', 'pdf'], /--format/],
  ])('%s: exit 2 with a message naming it, no stack trace', async (_name, args, message) => {
    const run = await runRecon(['drift', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a truncated HAR: the complete entries are checked and the cut one is a skip reason', async () => {
    const run = await runRecon(['drift', '--spec', SPEC, '--har', 'fixtures/drift/recordings/truncated.har', '--json', '--fail-on', 'never']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.skipped.some((s: { reason: string }) => /truncated|ends in the middle/.test(s.reason))).toBe(true);
  });

  it('hostile bodies (huge, deep, __proto__, lying content type) give findings or skip reasons, never a crash', async () => {
    const url = 'http://127.0.0.1:4010/api/v1';
    const entry = (path: string, text: string, mimeType = 'application/json') => ({
      startedDateTime: '2026-01-05T09:00:00.000Z',
      time: 1,
      request: { method: 'GET', url: `${url}${path}`, httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: 0 },
      response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'Content-Type', value: mimeType }], content: { size: text.length, mimeType, text }, redirectURL: '', headersSize: -1, bodySize: text.length },
      cache: {},
      timings: { send: 0, wait: 1, receive: 0 },
    });
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const big = JSON.stringify({ data: Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: 'x'.repeat(100) })), page: 1, pageSize: 1, total: 1 });
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'test', version: '1' },
        entries: [
          entry('/customers', deep),
          entry('/customers', big),
          entry('/customers/10001', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
          entry('/customers/10002', '<!DOCTYPE html><html>oops</html>'),
          entry('/products', '{"data": [}'),
          entry('/elsewhere', '{}'),
        ],
      },
    };
    const file = join(dir, 'hostile.har');
    await writeFile(file, JSON.stringify(har));
    const run = await runRecon(['drift', '--spec', SPEC, '--har', file, '--json', '--fail-on', 'never', '--profile']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.summary.exchanges).toBe(6);
    const invalid = report.findings.filter((f: { kind: string }) => f.kind === 'invalid-body');
    expect(invalid.length).toBeGreaterThanOrEqual(2); // HTML labelled JSON, broken JSON (and the deep one, unless skipped)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(report.findings.some((f: { pointer: string }) => f.pointer === '/__proto__')).toBe(true);
  }, 60_000);

  it('a canary secret in an unredacted recording reaches no report, overlay or output', async () => {
    const canary = 'CANARY-s3cr3t-4f9d2b7e1a';
    const text = JSON.stringify({ id: 10001, name: 'Skog AS', password: canary, apiToken: canary, note: `token ${canary}` });
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'browser', version: '1' },
        entries: [
          {
            startedDateTime: '2026-01-05T09:00:00.000Z',
            time: 1,
            request: { method: 'GET', url: 'http://127.0.0.1:4010/api/v1/customers/10001', httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'X-Api-Key', value: canary }], queryString: [], headersSize: -1, bodySize: 0 },
            response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'Content-Type', value: 'application/json' }, { name: 'X-Session', value: canary }], content: { size: text.length, mimeType: 'application/json', text }, redirectURL: '', headersSize: -1, bodySize: text.length },
            cache: {},
            timings: { send: 0, wait: 1, receive: 0 },
          },
        ],
      },
    };
    const work = await mkdtemp(join(tmpdir(), 'recon-canary-'));
    await writeFile(join(work, 'in.har'), JSON.stringify(har));
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'markdown', 'junit', 'sarif']) {
      const run = await runRecon(['drift', '--spec', join(process.cwd(), SPEC), '--har', 'in.har', '--format', format, '--out', `report.${format}`, '--overlay-out', `overlay.${format}.yaml`, '--profile', '--fail-on', 'never', '--secret-env', 'RECON_SECRET'], { cwd: work, env: { RECON_SECRET: canary } });
      outputs.push(run.stdout, run.stderr);
    }
    for (const file of await readdir(work)) if (file !== 'in.har') outputs.push(await readFile(join(work, file), 'utf8'));
    expect(outputs.join('\n')).not.toContain(canary);
  }, 60_000);
});
