/**
 * `recon init`: scaffold a review workspace — a commented recon.yaml whose example target is the
 * bundled Acme ERP sandbox, a copy of its API document, the folders a review fills, and
 * .gitignore files that keep secrets out of git.
 *
 * @example
 * const result = await initWorkspace('acme-review');
 * // result.created → ['recon.yaml', 'specs/acme-erp.openapi.yaml', …]
 */
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { ACME_SPEC_PATH } from '../sandbox/index.js';
import { GITIGNORE_LINES, ORDER_BODY, INVOICE_BODY, README, RECON_YAML, SECRETS_GITIGNORE } from './templates.js';

export interface InitOptions {
  /** Overwrite an existing recon.yaml (and the example files recon wrote before). */
  force?: boolean;
  /** `dir` is relative to it. Default `process.cwd()`. */
  cwd?: string;
  /** Where the example target's Acme sandbox runs (`http://127.0.0.1:54321`): default `recon sandbox`'s port 4010. */
  sandboxUrl?: string;
}

/** The sandbox origin recon.yaml's example target names unless told otherwise. */
export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4010';

export interface InitResult {
  /** Absolute path of the workspace. */
  dir: string;
  /** Paths relative to `dir`; folders end with `/`. */
  created: string[];
  /** Existing files recon changed: recon.yaml overwritten under --force, .gitignore lines added. */
  updated: string[];
  /** Existing files left as they were. */
  kept: string[];
}

/** What a file is when it already exists: replaced only under --force, or never. */
type Policy = 'force' | 'never';

export async function initWorkspace(dir = '.', options: InitOptions = {}): Promise<InitResult> {
  try {
    return await scaffold(dir, options);
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    if (errno.code === undefined || errno.syscall === undefined) throw error;
    throw new UsageError(`cannot write the workspace: ${errno.code} on ${errno.path ?? dir}`, { code: 'RECON_INIT_UNWRITABLE', cause: error });
  }
}

async function scaffold(dir: string, options: InitOptions): Promise<InitResult> {
  const root = resolve(options.cwd ?? process.cwd(), dir);
  const force = options.force === true;
  const rootKind = await kindOf(root);
  if (rootKind === 'file') throw new UsageError(`${dir} is a file; recon init needs a folder (new or existing)`, { code: 'RECON_INIT_NOT_A_DIRECTORY' });
  if (!force && (await kindOf(join(root, 'recon.yaml'))) !== undefined) {
    throw new UsageError(`${join(dir, 'recon.yaml')} already exists; recon init does not overwrite it`, {
      code: 'RECON_INIT_EXISTS',
      hint: 'rerun with --force to replace it (your specs, fixtures and README are kept)',
    });
  }

  const result: InitResult = { dir: root, created: [], updated: [], kept: [] };
  if (rootKind === undefined) await mkdir(root, { recursive: true });
  for (const folder of ['specs/', 'fixtures/', 'fixtures/bodies/', 'review/', 'secrets/']) {
    const path = join(root, folder);
    if ((await kindOf(path)) === undefined) {
      await mkdir(path, { recursive: true, mode: folder === 'secrets/' ? 0o700 : 0o777 });
      result.created.push(folder);
    }
  }

  const put = async (file: string, content: string | { copyFrom: string }, policy: Policy) => {
    const path = join(root, file);
    const exists = (await kindOf(path)) !== undefined;
    if (exists && (policy === 'never' || !force)) {
      result.kept.push(file);
      return;
    }
    if (typeof content === 'string') await writeFile(path, content, { mode: file.startsWith('secrets/') ? 0o600 : 0o666 });
    else await copyFile(content.copyFrom, path);
    (exists ? result.updated : result.created).push(file);
  };

  await put('recon.yaml', RECON_YAML.replaceAll(`${DEFAULT_SANDBOX_URL}/`, `${options.sandboxUrl ?? DEFAULT_SANDBOX_URL}/`), 'force');
  await put('specs/acme-erp.openapi.yaml', { copyFrom: ACME_SPEC_PATH }, 'force');
  await put('fixtures/bodies/order.json', ORDER_BODY, 'force');
  await put('fixtures/bodies/invoice.json', INVOICE_BODY, 'force');
  await put('review/.gitkeep', '', 'never');
  await put('secrets/.gitignore', SECRETS_GITIGNORE, 'force');
  await mergeGitignore(root, result);
  await put('README.md', README, 'never');
  return result;
}

/** Add recon's lines to .gitignore, keeping whatever it already holds. */
async function mergeGitignore(root: string, result: InitResult): Promise<void> {
  const path = join(root, '.gitignore');
  let existing: string | undefined;
  try {
    existing = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing === undefined) {
    await writeFile(path, `# recon: local state, secrets and keys never go into git\n${GITIGNORE_LINES.join('\n')}\n`);
    result.created.push('.gitignore');
    return;
  }
  const present = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  const missing = GITIGNORE_LINES.filter((line) => !present.has(line));
  if (missing.length === 0) {
    result.kept.push('.gitignore');
    return;
  }
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await writeFile(path, `${existing}${separator}\n# recon: local state, secrets and keys never go into git\n${missing.join('\n')}\n`);
  result.updated.push('.gitignore');
}

async function kindOf(path: string): Promise<'file' | 'directory' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `dir` as the user should type it next (`.` for the working directory). */
export function displayDir(result: InitResult, cwd: string): string {
  return relative(cwd, result.dir) || '.';
}
