/**
 * Resolve the secret references in a validated `recon.yaml`: `${env:NAME}` from the environment
 * and `${file:./path}` from a file relative to the config file. `$${` is a literal `${`.
 *
 * Values from references in secret-bearing fields (and in headers) are collected, so that
 * redaction can scrub them from every artifact. Problems name the variable or file and the key,
 * never the value.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ConfigProblem, KeyPath } from './errors.js';
import type { ConfigSource } from './yaml-source.js';

/** Largest file a `${file:…}` reference may read (a PEM chain is a few kB). */
export const MAX_REFERENCED_FILE_BYTES = 1024 * 1024;

/** Keys under `targets.<name>.auth` that hold secrets. */
const SECRET_AUTH_KEYS: ReadonlySet<string | number> = new Set(['clientSecret', 'password', 'token', 'value', 'privateKey']);
const SECRET_TLS_KEYS: ReadonlySet<string | number> = new Set(['key', 'passphrase']);

export interface ResolveOptions {
  /** Directory of the config file: `${file:…}` paths are relative to it. */
  dir: string;
  env: NodeJS.ProcessEnv;
}

export interface ResolvedReferences {
  data: unknown;
  /** Resolved values of references in secret-bearing fields and headers, deduplicated. */
  secrets: string[];
  problems: ConfigProblem[];
}

/**
 * Whether the value at `path` is a secret field (which must be a reference and must not be
 * empty) or a header (which may carry a secret: its referenced values are redacted too).
 */
export function secretKind(path: KeyPath): 'field' | 'header' | undefined {
  if (path[0] === 'targets' && path.length === 4) {
    if (path[2] === 'auth' && SECRET_AUTH_KEYS.has(path[3]!)) return 'field';
    if (path[2] === 'tls' && SECRET_TLS_KEYS.has(path[3]!)) return 'field';
    if (path[2] === 'headers') return 'header';
  }
  return path[0] === 'probe' && path[1] === 'calls' && path[3] === 'headers' && path.length === 5 ? 'header' : undefined;
}

/** A fresh copy of `data` with every reference in every string value resolved. */
export async function resolveReferences(data: unknown, source: ConfigSource, options: ResolveOptions): Promise<ResolvedReferences> {
  const secrets = new Set<string>();
  const problems: ConfigProblem[] = [];
  const files = new Map<string, Promise<string>>();

  const resolveString = async (text: string, path: KeyPath): Promise<string> => {
    const kind = secretKind(path);
    let out = '';
    let last = 0;
    for (const match of text.matchAll(/\$\$\{|\$\{([^{}]*)\}|\$\{/g)) {
      out += text.slice(last, match.index);
      last = match.index + match[0].length;
      if (match[0] === '$${') {
        out += '${';
        continue;
      }
      const inner = match[1];
      if (inner === undefined) {
        problems.push(source.problem(path, "unterminated reference '${…'; write ${env:NAME} or ${file:./path} (or $${ for a literal ${)"));
        continue;
      }
      const value = await resolveOne(inner, path, kind === 'field');
      if (value === undefined) continue;
      if (kind !== undefined && value !== '') secrets.add(value);
      out += value;
    }
    return out + text.slice(last);
  };

  const resolveOne = async (inner: string, path: KeyPath, secret: boolean): Promise<string | undefined> => {
    const colon = inner.indexOf(':');
    const kind = colon === -1 ? '' : inner.slice(0, colon);
    const arg = inner.slice(colon + 1);
    if (kind === 'env') {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) {
        problems.push(source.problem(path, `'\${env:${arg}}' is not a valid environment variable name`));
        return undefined;
      }
      const value = options.env[arg];
      if (value === undefined) {
        problems.push(source.problem(path, `the environment variable ${arg} is not set (referenced as \${env:${arg}})`));
        return undefined;
      }
      if (secret && value === '') {
        problems.push(source.problem(path, `the environment variable ${arg} is empty (referenced as \${env:${arg}})`));
        return undefined;
      }
      return value;
    }
    if (kind === 'file') {
      if (arg.trim() === '') {
        problems.push(source.problem(path, "'${file:}' names no file; write ${file:./path/relative/to/recon.yaml}"));
        return undefined;
      }
      const absolute = isAbsolute(arg) ? arg : resolve(options.dir, arg);
      let pending = files.get(absolute);
      if (!pending) {
        pending = readReferencedFile(absolute);
        files.set(absolute, pending);
      }
      try {
        const value = await pending;
        if (secret && value === '') {
          problems.push(source.problem(path, `the file ${arg} is empty (referenced as \${file:${arg}})`));
          return undefined;
        }
        return value;
      } catch (error) {
        problems.push(source.problem(path, `cannot read \${file:${arg}}: ${(error as Error).message}`));
        return undefined;
      }
    }
    problems.push(source.problem(path, `unknown reference '\${${inner.length > 40 ? inner.slice(0, 40) + '…' : inner}}'; write \${env:NAME} or \${file:./path} (or $\${ for a literal \${)`));
    return undefined;
  };

  const walk = async (value: unknown, path: KeyPath): Promise<unknown> => {
    if (typeof value === 'string') return value.includes('${') ? resolveString(value, path) : value;
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const [index, item] of value.entries()) items.push(await walk(item, [...path, index]));
      return items;
    }
    if (value !== null && typeof value === 'object') {
      const entries: [string, unknown][] = [];
      for (const [key, item] of Object.entries(value)) entries.push([key, await walk(item, [...path, key])]);
      return Object.fromEntries(entries);
    }
    return value;
  };

  const resolved = await walk(data, []);
  return { data: resolved, secrets: [...secrets], problems };
}

/**
 * A referenced file's text. A one-line file (a token, a password) loses its trailing newline,
 * which editors and `echo` add; a multi-line file (a PEM) is kept exactly.
 */
async function readReferencedFile(absolute: string): Promise<string> {
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' || code === 'ENOTDIR' ? `no such file (${absolute})` : `${code ?? String(error)} (${absolute})`);
  }
  if (info.isDirectory()) throw new Error(`${absolute} is a directory`);
  if (!info.isFile()) throw new Error(`${absolute} is not a regular file`);
  if (info.size > MAX_REFERENCED_FILE_BYTES) throw new Error(`${absolute} is larger than ${MAX_REFERENCED_FILE_BYTES} bytes`);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(absolute));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code ? `${code} (${absolute})` : `${absolute} is not UTF-8 text`);
  }
  const withoutFinalNewline = text.replace(/\r?\n$/, '');
  return withoutFinalNewline.includes('\n') ? text : withoutFinalNewline.replace(/[\r\n]+$/, '');
}
