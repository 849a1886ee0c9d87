/**
 * Read the raw text of a document from a file or an http(s) URL, with the limits and errors a
 * user can act on (missing file, a directory, too large, unreachable host, HTTP error).
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Dispatcher } from 'undici';
import { SpecLoadError } from '../errors.js';

export interface ReadSourceOptions {
  /** Refuse documents larger than this many bytes. */
  maxBytes: number;
  /** Give up on a URL after this many milliseconds. */
  timeoutMs: number;
  /** Extra request headers for URLs (e.g. an Authorization header for a private spec). */
  headers?: Record<string, string>;
}

/** `./api.yaml` → `file:///abs/api.yaml`; URLs stay as they are. */
export function toDocumentUri(location: string, cwd: string): string {
  if (/^https?:\/\//i.test(location) || location.startsWith('file:')) return new URL(location).href;
  return pathToFileURL(isAbsolute(location) ? location : resolvePath(cwd, location)).href;
}

/** How a URI is shown to people: a file path for files, the URL otherwise. */
export function displayUri(uri: string, cwd: string): string {
  if (!uri.startsWith('file:')) return uri;
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    return uri; // a $ref with broken %-escapes (`%5o`) names no file: shown as written
  }
  return path.startsWith(cwd + '/') ? path.slice(cwd.length + 1) : path;
}

export async function readSource(uri: string, shown: string, options: ReadSourceOptions): Promise<string> {
  if (!uri.startsWith('file:')) return readRemote(uri, shown, options);
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch (error) {
    throw new SpecLoadError('RECON_SPEC_NOT_FOUND', `is not a file path (${(error as Error).message})`, { source: shown }, { cause: error });
  }
  return readLocal(path, shown, options);
}

async function readLocal(path: string, shown: string, options: ReadSourceOptions): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw fsError(error, shown);
  }
  if (info.isDirectory()) {
    throw new SpecLoadError('RECON_SPEC_IS_DIRECTORY', 'is a directory, not a document', { source: shown }, {
      hint: 'name the OpenAPI/Swagger file itself, e.g. specs/openapi.yaml',
    });
  }
  if (info.size > options.maxBytes) throw tooLarge(shown, info.size, options.maxBytes);
  try {
    return decodeUtf8(await readFile(path), shown);
  } catch (error) {
    if (error instanceof SpecLoadError) throw error;
    throw fsError(error, shown);
  }
}

let agent: Dispatcher | undefined;

/**
 * One agent for every document fetched, following up to 5 redirects (a spec moved to a CDN).
 * undici is imported on first use: most documents are files, and it costs ~70 ms to load.
 */
async function fetchAgent(): Promise<Dispatcher> {
  if (!agent) {
    const { Agent, interceptors } = await import('undici');
    agent = new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));
  }
  return agent;
}

async function readRemote(url: string, shown: string, options: ReadSourceOptions): Promise<string> {
  const { request } = await import('undici');
  let response;
  try {
    response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5', ...options.headers },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      dispatcher: await fetchAgent(),
    });
  } catch (error) {
    const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
    throw new SpecLoadError('RECON_SPEC_FETCH_FAILED', `could not fetch: ${reason}`, { source: shown }, {
      cause: error,
      hint: 'check the URL and your network, or download the document and pass the file',
    });
  }
  if (response.statusCode >= 400) {
    await response.body.dump();
    throw new SpecLoadError('RECON_SPEC_FETCH_FAILED', `could not fetch: HTTP ${response.statusCode}`, { source: shown }, {
      hint: response.statusCode === 401 || response.statusCode === 403 ? 'the server wants credentials: pass them with --header' : undefined,
    });
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.dump();
    throw tooLarge(shown, declared, options.maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        response.body.destroy();
        throw tooLarge(shown, size, options.maxBytes);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof SpecLoadError) throw error;
    throw new SpecLoadError('RECON_SPEC_FETCH_FAILED', `download broke off: ${(error as Error).message}`, { source: shown }, { cause: error });
  }
  return decodeUtf8(Buffer.concat(chunks), shown);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer, shown: string): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new SpecLoadError('RECON_SPEC_UNREADABLE', 'is not valid UTF-8 text', { source: shown }, {
      cause: error,
      hint: 'API documents are UTF-8 JSON or YAML; is this a binary or a differently encoded file?',
    });
  }
}

function tooLarge(shown: string, size: number, max: number): SpecLoadError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new SpecLoadError('RECON_SPEC_TOO_LARGE', `is ${mb(size)}, over the ${mb(max)} limit`, { source: shown }, {
    hint: 'raise the limit with --max-size <MB> if the document really is this large',
  });
}

function fsError(error: unknown, shown: string): SpecLoadError {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') {
    return new SpecLoadError('RECON_SPEC_NOT_FOUND', 'no such file', { source: shown }, { cause: error, hint: 'check the path' });
  }
  if (code === 'EISDIR') {
    return new SpecLoadError('RECON_SPEC_IS_DIRECTORY', 'is a directory, not a document', { source: shown }, { cause: error });
  }
  const reason = code === 'EACCES' ? 'permission denied' : (error as Error).message;
  return new SpecLoadError('RECON_SPEC_UNREADABLE', `cannot read: ${reason}`, { source: shown }, { cause: error });
}
