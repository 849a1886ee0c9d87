/**
 * The hostile-input corpus (fixtures/bad/MANIFEST.json): its entries, the big inputs generated at
 * test time instead of committed, the workspace each entry runs in, and the loopback vendor that
 * serves hostile responses to `recon probe`, `recon limits` and `recon run`.
 */
import { createServer, type Server } from 'node:http';
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './recon-cli.js';

export const CORPUS = join(ROOT, 'fixtures', 'bad');

export interface VendorResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A file of the corpus, or a generated body (`gen:<name>`). Default: a good item list. */
  body?: string;
  /** Declare a longer Content-Length than the body, then close the connection: a cut response. */
  cut?: boolean;
}

export interface ManifestEntry {
  /** Unique; also the entry's name in the test output. */
  id: string;
  /** What kind of input (spec, har, config, connector, input, vendor, review, integration-spec). */
  kind: string;
  /** A corpus file (relative to fixtures/bad), or `gen:<name>` for one made at test time. */
  file?: string;
  /** Copy the file into the entry's workspace at this path (e.g. connectors/hostile.yaml). */
  place?: string;
  /** A corpus file used as the workspace's connector (connectors/hostile.yaml) instead of the good one. */
  connector?: string;
  /** What the loopback vendor answers, for entries that exercise vendor responses. */
  vendor?: VendorResponse;
  /** The recon command line; {file} {ws} {out} {vendor} {api} are replaced. */
  args: string[];
  /** The documented exit code. */
  exit: number;
  /** A regular expression the output (stdout + stderr) must match: the clear message. */
  message: string;
  /** Why this exit code and message are right, for the reader of the manifest. */
  why?: string;
}

export async function readManifest(): Promise<ManifestEntry[]> {
  const manifest = JSON.parse(await readFile(join(CORPUS, 'MANIFEST.json'), 'utf8')) as { entries: ManifestEntry[] };
  return manifest.entries;
}

const DEPTH = 100_000;
const openapi = (schema: string) =>
  `{"openapi":"3.0.3","info":{"title":"deep","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":${schema}}}}}}}}}`;
const harOf = (entries: unknown[]) => JSON.stringify({ log: { version: '1.2', creator: { name: 'hostile', version: '1' }, entries } });
const harEntry = (content: Record<string, unknown>, headers: { name: string; value: string }[] = []) => ({
  startedDateTime: '2026-01-01T00:00:00.000Z',
  time: 1,
  request: { method: 'GET', url: 'http://vendor.test/items', httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
  response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [{ name: 'Content-Type', value: 'application/json' }, ...headers], cookies: [], content, redirectURL: '', headersSize: -1, bodySize: -1 },
  cache: {},
  timings: { send: 0, wait: 1, receive: 0 },
});

let bombCache: Buffer | undefined;
/** ~1 MiB of gzip that expands to 1 GiB of zeros: 64 gzip members of 16 MiB each (RFC 1952 §2.2). */
export function gzipBomb(): Buffer {
  bombCache ??= Buffer.concat(Array.from({ length: 64 }, () => member())) ;
  return bombCache;
}
let memberCache: Buffer | undefined;
function member(): Buffer {
  memberCache ??= gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
  return memberCache;
}

/** The generated inputs: name → bytes. Big or deep ones are made here, never committed. */
export const GENERATED: Record<string, { name: string; make: () => Buffer | string }> = {
  'deep-json-spec': { name: 'deep.json', make: () => openapi('{"type":"array","items":'.repeat(DEPTH) + '{}' + '}'.repeat(DEPTH)) },
  'deep-array-spec': { name: 'deep-array.json', make: () => openapi('{"type":"object","example":' + '['.repeat(DEPTH) + ']'.repeat(DEPTH) + '}') },
  'deep-yaml-spec': { name: 'deep.yaml', make: () => 'openapi: 3.0.3\ninfo: {title: deep, version: "1"}\npaths: {}\nx-deep: ' + '['.repeat(DEPTH) + ']'.repeat(DEPTH) + '\n' },
  'huge-spec': { name: 'huge.json', make: () => openapi(`{"type":"string","description":"${'x'.repeat(33 * 1024 * 1024)}"}`) },
  'many-refs-spec': {
    name: 'many-refs.json',
    make: () => {
      const schemas: Record<string, unknown> = {};
      for (let i = 0; i < 20_000; i += 1) schemas[`S${i}`] = { $ref: `#/components/schemas/S${(i + 1) % 20_000}` };
      return JSON.stringify({ openapi: '3.0.3', info: { title: 'refs', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/S0' } } } } } } } }, components: { schemas } });
    },
  },
  'deep-har-body': { name: 'deep-body.har', make: () => harOf([harEntry({ size: 1, mimeType: 'application/json', text: '['.repeat(DEPTH) + ']'.repeat(DEPTH) })]) },
  'deep-har-structure': { name: 'deep-structure.har', make: () => `{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[{"request":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}]}}` },
  'gzip-bomb-har': {
    name: 'gzip-bomb.har',
    make: () => harOf([harEntry({ size: 1 << 30, mimeType: 'application/json', encoding: 'base64', text: gzipBomb().toString('base64') }, [{ name: 'Content-Encoding', value: 'gzip' }])]),
  },
  'many-entries-har': { name: 'many-entries.har', make: () => harOf(Array.from({ length: 20_000 }, () => harEntry({ size: 2, mimeType: 'application/json', text: '[{"id":1}]' }))) },
  'deep-config': { name: 'recon.yaml', make: () => `version: 1\ntargets:\n  vendor:\n    baseUrl: http://127.0.0.1:9/api\n    spec: x.yaml\n    headers: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n` },
  'deep-connector': { name: 'deep.yaml', make: () => `name: hostile\nconfig: ../recon.yaml\noperation: createItem\nmessageId: /id\nrequest:\n  body: ${'{a: '.repeat(DEPTH)}1${'}'.repeat(DEPTH)}\n` },
  'deep-input-ndjson': { name: 'deep.ndjson', make: () => '{"id":1,"name":' + '['.repeat(DEPTH) + ']'.repeat(DEPTH) + '}\n{"id":2,"name":"b"}\n' },
  'huge-line-csv': { name: 'huge-line.csv', make: () => `id,name\n1,${'x'.repeat(10 * 1024 * 1024)}\n2,b\n` },
  'huge-line-ndjson': { name: 'huge-line.ndjson', make: () => `{"id":1,"name":"${'x'.repeat(10 * 1024 * 1024)}"}\n{"id":2,"name":"b"}\n` },
  'unbalanced-huge-csv': { name: 'unbalanced-huge.csv', make: () => `id,name\n1,"${'x,\n'.repeat(4 * 1024 * 1024)}` },
  'deep-review-limits': { name: 'limits.json', make: () => '['.repeat(DEPTH) + ']'.repeat(DEPTH) },
  'gzip-bomb': { name: 'bomb.gz', make: () => gzipBomb() },
  'deep-json-body': { name: 'deep-body.json', make: () => '['.repeat(DEPTH) + ']'.repeat(DEPTH) },
  'huge-body': { name: 'huge-body.json', make: () => '[' + '{"id":1,"name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},'.repeat(600_000) + '{"id":2}]' },
};

/** The bytes of a corpus file or a generated input. */
export async function inputBytes(file: string): Promise<Buffer> {
  if (file.startsWith('gen:')) {
    const gen = GENERATED[file.slice(4)];
    if (!gen) throw new Error(`MANIFEST.json: no generator ${file}`);
    const made = gen.make();
    return typeof made === 'string' ? Buffer.from(made) : made;
  }
  return readFile(join(CORPUS, file));
}

const GOOD_CONNECTOR = `name: hostile
config: ../recon.yaml
operation: createItem
messageId: /id
rateLimit: { limit: 6000, windowSeconds: 60 }
request:
  body:
    id: \${/id}
idempotency: { strategy: header }
timeoutMs: 3000
retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 }
`;

export interface EntryWorkspace {
  ws: string;
  /** Where the entry's input is (inside the workspace for generated inputs). */
  file: string;
}

/**
 * A workspace for one entry: recon.yaml whose target is the loopback vendor's route for this
 * entry, a good connector and a good input, with the entry's input placed where it says.
 */
export async function entryWorkspace(ws: string, entry: ManifestEntry, vendorBase: string): Promise<EntryWorkspace> {
  await mkdir(join(ws, 'connectors'), { recursive: true });
  await mkdir(join(ws, 'out'), { recursive: true });
  await writeFile(
    join(ws, 'recon.yaml'),
    `version: 1\ntargets:\n  vendor:\n    baseUrl: ${vendorBase}\n    spec: ${join(CORPUS, 'vendor', 'api.yaml')}\n    auth: { type: none }\n    budget: 20\n    rateLimit: 50\n    timeoutSeconds: 5\n`,
  );
  await writeFile(join(ws, 'connectors', 'hostile.yaml'), entry.connector === undefined ? GOOD_CONNECTOR : await readFile(join(CORPUS, entry.connector)));
  await writeFile(join(ws, 'input.ndjson'), '{"id": 1, "name": "a"}\n');
  // A review folder entry starts from a whole, good review (the Acme one) and spoils one file of it.
  if (entry.kind === 'review') await cp(join(ROOT, 'fixtures', 'review', 'acme', 'review'), join(ws, 'review'), { recursive: true });
  let file = entry.file === undefined ? '' : join(CORPUS, entry.file);
  if (entry.file?.startsWith('gen:')) {
    file = join(ws, 'generated', GENERATED[entry.file.slice(4)]!.name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, await inputBytes(entry.file));
  }
  if (entry.place !== undefined && entry.file !== undefined) {
    const target = join(ws, entry.place);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(file, target);
    file = target;
  }
  return { ws, file };
}

export function expandArgs(args: string[], values: Record<string, string>): string[] {
  return args.map((arg) => arg.replace(/\{(file|ws|out|vendor|api|fixtures)\}/g, (_, name: string) => values[name]!));
}

export interface HostileVendor {
  url: string;
  /** Register what `/v/<route>/…` answers. */
  route(name: string, response: VendorResponse): Promise<void>;
  close(): Promise<void>;
}

const GOOD_LIST = Buffer.from('[{"id": 1, "name": "a"}]');
const GOOD_ITEM = Buffer.from('{"id": 1, "name": "a"}');

/**
 * A loopback vendor: `/v/<route>/…` answers what the route was given; unknown routes answer a
 * good list (GET) or a good created item (POST).
 */
export async function startHostileVendor(): Promise<HostileVendor> {
  const routes = new Map<string, { status: number; headers: Record<string, string>; body: Buffer; cut: boolean }>();
  const server: Server = createServer((req, res) => {
    req.resume();
    const name = /^\/v\/([^/]+)/.exec(req.url ?? '')?.[1] ?? '';
    const route = routes.get(name);
    if (!route) {
      const post = req.method === 'POST';
      res.writeHead(post ? 201 : 200, { 'content-type': 'application/json' }).end(post ? GOOD_ITEM : GOOD_LIST);
      return;
    }
    if (route.cut) {
      res.writeHead(route.status, { 'content-type': 'application/json', ...route.headers, 'content-length': String(route.body.length * 2 + 100) });
      res.write(route.body);
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    res.writeHead(route.status, { 'content-type': 'application/json', ...route.headers, 'content-length': String(route.body.length) }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async route(name, response) {
      const body = response.body === undefined ? GOOD_LIST : await inputBytes(response.body);
      routes.set(name, { status: response.status ?? 200, headers: response.headers ?? {}, body, cut: response.cut ?? false });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
