import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SpecLoadError, type SpecLoadErrorCode } from '../src/errors.js';
import { loadSpec, type ApiSpec } from '../src/spec/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Count operations straight from the raw document, independently of the loader. */
async function rawCounts(file: string): Promise<{ paths: number; operations: number; title: string }> {
  const raw = parseYaml(await readFile(file, 'utf8'), { maxAliasCount: -1 }) as {
    paths: Record<string, Record<string, unknown>>;
    info: { title: string };
  };
  let operations = 0;
  for (const item of Object.values(raw.paths)) for (const m of METHODS) if (item[m]) operations++;
  return { paths: Object.keys(raw.paths).length, operations, title: raw.info.title };
}

describe('loadSpec on real vendor documents', () => {
  const table: [string, { specVersion: string; server: string; basePath: string }][] = [
    ['specs/tripletex/tripletex-swagger-2.0.json', { specVersion: '2.0', server: 'https://tripletex.no/v2', basePath: '/v2' }],
    ['specs/tripletex/tripletex-openapi-3.0.json', { specVersion: '3.0', server: 'https://tripletex.no/v2', basePath: '/v2' }],
    ['specs/fiken/fiken-api-2.0.0.yaml', { specVersion: '3.0', server: 'https://api.fiken.no/api/v2', basePath: '/api/v2' }],
    ['specs/24sevenoffice/rest.yaml', { specVersion: '3.0', server: 'https://rest.api.24sevenoffice.com/v1', basePath: '/v1' }],
    ['specs/24sevenoffice/payroll.json', { specVersion: '3.0', server: 'https://payroll.24sevenoffice.com/api', basePath: '/api' }],
  ];

  it.each(table)('%s', async (file, want) => {
    const path = join(FIXTURES, file);
    const spec = await loadSpec(path);
    const raw = await rawCounts(path);
    expect(spec.specVersion).toBe(want.specVersion);
    expect(spec.info.title).toBe(raw.title);
    expect(spec.operations).toHaveLength(raw.operations);
    expect(new Set(spec.operations.map((o) => o.path)).size).toBe(raw.paths);
    expect(spec.servers[0]).toMatchObject({ url: want.server, basePath: want.basePath });
    expect(spec.documents.unresolved).toEqual([]);
    expect(spec.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Every response schema resolves to a real node.
    for (const op of spec.operations) {
      for (const response of op.responses) {
        for (const media of response.content) {
          if (media.schema) expect(spec.documents.deref(media.schema), `${op.method} ${op.path} ${response.status}`).toBeDefined();
        }
      }
    }
  });

  it('converts Tripletex Swagger 2.0 to the 3.0 shape', async () => {
    const spec = await loadSpec(join(FIXTURES, 'specs/tripletex/tripletex-swagger-2.0.json'));
    const send = spec.operations.find((o) => o.path === '/ledger/voucher/{id}/:sendToLedger' && o.method === 'put')!;
    expect(send.operationId).toBe('LedgerVoucherSendToLedger_sendToLedger');
    expect(send.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['version', 'query', false],
      ['number', 'query', false],
    ]);
    expect(spec.documents.valueAt(send.parameters[2]!.schema!)).toEqual({ type: 'integer', default: 0, minimum: 0, format: 'int32' });
    expect(send.parameters[2]!.exampleValues).toEqual([0]);
    const ok = send.responses.find((r) => r.status === '200')!;
    expect(ok.content.map((c) => c.mediaType)).toEqual(['application/json']);
    expect(spec.documents.valueAt(ok.content[0]!.schema!)).toEqual({ $ref: '#/components/schemas/ResponseWrapperVoucher' });
    expect(spec.documents.deref(ok.content[0]!.schema!)?.at.pointer).toBe('/components/schemas/ResponseWrapperVoucher');
    expect(send.security).toEqual([{ tokenAuthScheme: [] }]);
    expect(spec.securitySchemes).toEqual([expect.objectContaining({ name: 'tokenAuthScheme', type: 'http', scheme: 'basic' })]);

    const withBody = spec.operations.filter((o) => o.requestBody);
    expect(withBody.length).toBeGreaterThan(200);
    const formData = withBody.filter((o) => o.requestBody!.content.some((c) => /form/.test(c.mediaType)));
    expect(formData.length).toBeGreaterThan(0);
  });

  it('loads a multi-file 3.1 document with a cycle across files and a templated server', async () => {
    const spec = await loadSpec(join(FIXTURES, 'multi-file/api.yaml'));
    expect(spec.specVersion).toBe('3.1');
    expect(spec.documents.all()).toHaveLength(4);
    expect(spec.servers[0]!.basePath).toBe('/api/{version}');
    const get = spec.operations.find((o) => o.operationId === 'getCustomer')!;
    expect(get.path).toBe('/customers/{id}');
    expect(get.parameters.map((p) => p.name)).toEqual(['id']);
    const schema = spec.documents.deref(get.responses[0]!.content[0]!.schema!)!;
    expect(schema.at.uri).toMatch(/schemas\/customer\.yaml$/);
    expect(spec.operations.find((o) => o.operationId === 'listDepartments')!.responses.map((r) => r.status)).toEqual(['200', 'default']);
  });

  it('keeps __proto__ keys as data and pollutes nothing', async () => {
    const spec = await loadSpec(join(FIXTURES, 'bad/proto-keys.json'));
    expect(spec.operations[0]).toMatchObject({ path: '/__proto__', operationId: 'constructor' });
    expect(spec.documents.deref(spec.operations[0]!.responses[0]!.content[0]!.schema!)?.at.pointer).toBe('/components/schemas/__proto__');
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });
});

describe('loadSpec on bad input', () => {
  const table: [string, { code: SpecLoadErrorCode; line?: number; column?: number; pointer?: string; says: RegExp }][] = [
    ['malformed.yaml', { code: 'RECON_SPEC_SYNTAX', line: 8, says: /invalid YAML/ }],
    ['malformed.json', { code: 'RECON_SPEC_SYNTAX', line: 5, column: 1, says: /invalid JSON/ }],
    ['truncated.json', { code: 'RECON_SPEC_SYNTAX', line: 4, says: /invalid JSON/ }],
    ['not-openapi.yaml', { code: 'RECON_SPEC_UNRECOGNISED', says: /neither OpenAPI nor Swagger/ }],
    ['top-level-array.json', { code: 'RECON_SPEC_UNRECOGNISED', says: /top level is an array/ }],
    ['swagger-1.2.json', { code: 'RECON_SPEC_UNSUPPORTED_VERSION', pointer: '/swagger', says: /only 2\.0/ }],
    ['unsupported-version.yaml', { code: 'RECON_SPEC_UNSUPPORTED_VERSION', pointer: '/openapi', says: /3\.0\.x and 3\.1\.x/ }],
    ['broken-ref.yaml', { code: 'RECON_SPEC_UNRESOLVED_REF', pointer: '/paths/~1a/get/responses/200/content/application~1json/schema', says: /#\/components\/schemas\/Missing/ }],
    ['missing-file-ref.yaml', { code: 'RECON_SPEC_UNRESOLVED_REF', says: /does-not-exist\.yaml.*no such file/ }],
    ['unreachable-remote-ref.yaml', { code: 'RECON_SPEC_UNRESOLVED_REF', says: /127\.0\.0\.1:9.*could not fetch/ }],
    ['empty.yaml', { code: 'RECON_SPEC_EMPTY', says: /empty/ }],
    ['whitespace-only.json', { code: 'RECON_SPEC_EMPTY', says: /empty/ }],
    ['a-directory.yaml', { code: 'RECON_SPEC_IS_DIRECTORY', says: /directory/ }],
    ['billion-laughs.yaml', { code: 'RECON_SPEC_SYNTAX', says: /alias/i }],
    ['invalid-utf8.json', { code: 'RECON_SPEC_UNREADABLE', says: /UTF-8/ }],
    ['paths-not-object.yaml', { code: 'RECON_SPEC_INVALID', pointer: '/paths', says: /must be an object/ }],
    ['no-such-file.yaml', { code: 'RECON_SPEC_NOT_FOUND', says: /no such file/ }],
  ];

  it.each(table)('%s', async (file, want) => {
    const error = await loadSpec(join(FIXTURES, 'bad', file), { timeoutMs: 2_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecLoadError);
    const e = error as SpecLoadError;
    expect(e.code).toBe(want.code);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(want.says);
    expect(e.message).toContain(file);
    expect(e.message.split('\n')).toHaveLength(1);
    if (want.line !== undefined) expect(e.location.line).toBe(want.line);
    if (want.column !== undefined) expect(e.location.column).toBe(want.column);
    if (want.pointer !== undefined) expect(e.location.pointer).toBe(want.pointer);
  });

  it('lists unresolved refs as data when asked to keep going', async () => {
    const spec = await loadSpec(join(FIXTURES, 'bad/broken-ref.yaml'), { allowUnresolved: true });
    expect(spec.documents.unresolved).toEqual([
      expect.objectContaining({ ref: '#/components/schemas/Missing', reason: expect.stringMatching(/nothing at/) }),
    ]);
  });

  describe('generated inputs', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'recon-bad-'));
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('refuses a 50 MB document before parsing it', async () => {
      const file = join(dir, 'huge.json');
      const filler = 'x'.repeat(1024 * 1024);
      await writeFile(file, `{"openapi":"3.0.3","info":{"title":"huge","version":"1"},"paths":{},"x-filler":[${Array(50).fill(`"${filler}"`).join(',')}]}`);
      const error = (await loadSpec(file).catch((e: unknown) => e)) as SpecLoadError;
      expect(error.code).toBe('RECON_SPEC_TOO_LARGE');
      expect(error.message).toMatch(/50\.0 MB, over the 32\.0 MB limit/);
      const spec = await loadSpec(file, { maxBytes: 64 * 1024 * 1024 });
      expect(spec.info.title).toBe('huge');
    });

    it('survives documents nested 100,000 deep', async () => {
      const depth = 100_000;
      const json = join(dir, 'deep.json');
      await writeFile(json, `{"openapi":"3.0.3","info":{"title":"deep","version":"1"},"paths":{},"x-deep":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      const spec = await loadSpec(json).catch((e: unknown) => e);
      if (spec instanceof SpecLoadError) expect(spec.code).toBe('RECON_SPEC_SYNTAX');
      else expect((spec as ApiSpec).info.title).toBe('deep');

      const yaml = join(dir, 'deep.yaml');
      await writeFile(yaml, `openapi: 3.0.3\ninfo: {title: deep, version: "1"}\npaths: {}\nx-deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
      const fromYaml = await loadSpec(yaml).catch((e: unknown) => e);
      if (fromYaml instanceof SpecLoadError) expect(fromYaml.code).toBe('RECON_SPEC_SYNTAX');
      else expect((fromYaml as ApiSpec).info.title).toBe('deep');
    });
  });
});

describe('loadSpec from URLs', () => {
  let server: Server;
  let base: string;
  const files: Record<string, string> = {
    '/api.yaml': [
      'openapi: 3.0.3',
      'info: {title: Remote, version: "2"}',
      'paths:',
      '  /things:',
      '    get:',
      '      responses:',
      '        "200":',
      '          description: ok',
      '          content:',
      '            application/json:',
      '              schema: {$ref: "schemas/thing.json#/Thing"}',
    ].join('\n'),
    '/schemas/thing.json': JSON.stringify({ Thing: { type: 'object', properties: { next: { $ref: '#/Thing' } } } }),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/private.yaml') {
        res.writeHead(req.headers.authorization === 'Bearer canary' ? 200 : 401).end(files['/api.yaml']);
        return;
      }
      if (req.url === '/slow.yaml') return; // never answers
      const body = files[req.url ?? ''];
      if (body === undefined) res.writeHead(404).end('not found');
      else res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('loads a document and its remote $refs', async () => {
    const spec = await loadSpec(`${base}/api.yaml`);
    expect(spec.info.title).toBe('Remote');
    expect(spec.documents.all().map((d) => d.uri)).toEqual([`${base}/api.yaml`, `${base}/schemas/thing.json`]);
    expect(spec.documents.deref(spec.operations[0]!.responses[0]!.content[0]!.schema!)?.at).toEqual({ uri: `${base}/schemas/thing.json`, pointer: '/Thing' });
  });

  it('sends --header values and reports HTTP errors', async () => {
    await expect(loadSpec(`${base}/private.yaml`)).rejects.toMatchObject({ code: 'RECON_SPEC_FETCH_FAILED', message: expect.stringMatching(/HTTP 401/) });
    const spec = await loadSpec(`${base}/private.yaml`, { headers: { Authorization: 'Bearer canary' } });
    expect(spec.info.title).toBe('Remote');
    await expect(loadSpec(`${base}/missing.yaml`)).rejects.toMatchObject({ code: 'RECON_SPEC_FETCH_FAILED', message: expect.stringMatching(/HTTP 404/) });
  });

  it('times out on a server that never answers', async () => {
    const started = Date.now();
    await expect(loadSpec(`${base}/slow.yaml`, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'RECON_SPEC_FETCH_FAILED' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
