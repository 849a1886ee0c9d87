/**
 * Canary values for the secret-leak scan, and a loopback "leaky vendor": a reverse proxy in front
 * of the Acme sandbox that echoes the canaries back in every response, in bodies and headers, as a
 * careless vendor would (debug headers, cookies, personal data in records).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A valid fødselsnummer (MOD11 check digits) of the form 010170III K1 K2: the redactor only knows valid ones. */
export function validNationalId(prefix = '010170'): string {
  const k1w = [3, 7, 6, 1, 8, 9, 4, 5, 2];
  const k2w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const check = (d: number[], w: number[]) => {
    const c = 11 - (w.reduce((sum, weight, i) => sum + weight * d[i]!, 0) % 11);
    return c === 11 ? 0 : c;
  };
  for (let individual = 123; individual < 1000; individual += 1) {
    const d = `${prefix}${String(individual).padStart(3, '0')}`.split('').map(Number);
    const k1 = check(d, k1w);
    if (k1 === 10) continue;
    const k2 = check([...d, k1], k2w);
    if (k2 === 10) continue;
    return `${prefix}${String(individual).padStart(3, '0')}${k1}${k2}`;
  }
  throw new Error('no valid national id');
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export const CANARIES = {
  clientSecret: 'canary-client-secret-Zq7Wm2Xv',
  apiKey: 'canary-api-key-Hk93LmPq',
  templateKey: 'canary-template-key-R4tY8uIo',
  password: 'canary-password-Tq81VwNe',
  sessionCookie: 'canary-session-cookie-Bn56Mk',
  privateKeyPem: PEM,
  /** A line from the middle of the PEM: what a leak of the key would contain. */
  privateKeyLine: PEM.split('\n')[5]!,
  nationalId: validNationalId(),
  email: 'canary.person.7731@example.no',
} as const;

/** The values searched for in every file and output (the PEM by one of its lines). */
export function canaryNeedles(): [string, string][] {
  const { privateKeyPem: _pem, ...rest } = CANARIES;
  return Object.entries(rest);
}

export interface Leak {
  where: string;
  canary: string;
}

/** Every canary in `text` (or bytes), named. */
export function findCanaries(where: string, content: string | Buffer): Leak[] {
  const haystack = typeof content === 'string' ? Buffer.from(content) : content;
  const leaks: Leak[] = [];
  for (const [name, value] of canaryNeedles()) {
    for (const form of [value, Buffer.from(value).toString('base64').slice(0, 16), encodeURIComponent(value)]) {
      if (form.length >= 8 && haystack.includes(Buffer.from(form))) {
        leaks.push({ where, canary: name });
        break;
      }
    }
    // UTF-16LE (how some SQLite text could be stored).
    if (haystack.includes(Buffer.from(value, 'utf16le'))) leaks.push({ where: `${where} (UTF-16)`, canary: name });
  }
  return leaks;
}

/** Every file under `dir`, recursively (symlinks not followed). */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  await walk(dir);
  return out;
}

/** Scan every file under `dir` except `skip` (workspace-relative paths the test planted itself). */
export async function scanFiles(dir: string, skip: Set<string>): Promise<{ scanned: string[]; leaks: Leak[] }> {
  const scanned: string[] = [];
  const leaks: Leak[] = [];
  for (const file of await allFiles(dir)) {
    const name = relative(dir, file);
    if (skip.has(name)) continue;
    if ((await stat(file)).size > 512 * 1024 * 1024) throw new Error(`${name} is unexpectedly large`);
    scanned.push(name);
    leaks.push(...findCanaries(name, await readFile(file)));
  }
  return { scanned, leaks };
}

function inject(value: unknown): unknown {
  const extra = {
    contact: { nationalId: CANARIES.nationalId, email: CANARIES.email },
    debugEcho: `client_secret=${CANARIES.clientSecret} api_key=${CANARIES.apiKey} password=${CANARIES.password}`,
  };
  if (Array.isArray(value)) return value.map(inject);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = { ...object, ...extra };
  if (Array.isArray(object.data)) out.data = object.data.map((item) => (item !== null && typeof item === 'object' ? { ...(item as object), ...extra } : item));
  return out;
}

export interface LeakyVendor {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/**
 * @example const vendor = await startLeakyVendor(sandbox.url); // then point recon.yaml at vendor.url
 */
export async function startLeakyVendor(upstream: string): Promise<LeakyVendor> {
  const target = new URL(upstream);
  const state = { requests: 0, self: '' };
  // The vendor's own links (Link headers, next URLs) name the proxy, as they would behind a gateway.
  const relink = (text: string) => text.replaceAll(upstream.replace(/\/$/, ''), state.self);
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers, host: target.host };
      delete headers['accept-encoding'];
      const forward = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          let text = Buffer.from(relink(Buffer.concat(body).toString()));
          const type = String(up.headers['content-type'] ?? '');
          if (type.includes('json') && text.length > 0) {
            try {
              text = Buffer.from(JSON.stringify(inject(JSON.parse(text.toString()))));
            } catch {
              /* not JSON after all: passed through */
            }
          }
          const out: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(up.headers)) if (value !== undefined && name !== 'content-length' && name !== 'transfer-encoding') out[name] = Array.isArray(value) ? value.map(relink) : relink(value);
          out['x-debug-echo'] = `secret=${CANARIES.clientSecret}; password=${CANARIES.password}`;
          // E-mail addresses are redacted where configured (a JSON path), so only the national id travels in a header.
          out['x-debug-user'] = `user ${CANARIES.nationalId}`;
          out['set-cookie'] = [`vendor_session=${CANARIES.sessionCookie}; Path=/; HttpOnly`];
          out['content-length'] = String(text.length);
          res.writeHead(up.statusCode ?? 502, out).end(text);
        });
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: state.self,
    get requests() {
      return state.requests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
