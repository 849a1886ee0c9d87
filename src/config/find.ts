/**
 * Find the workspace's `recon.yaml` the way git finds `.git`: in the working directory or a
 * parent, stopping at the repository root.
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_FILE_NAME = 'recon.yaml';

/**
 * Absolute path of the nearest `recon.yaml` in `cwd` or its parents, or undefined. The search
 * stops at a directory that holds `.git` (a directory, or a file in worktrees and submodules)
 * and at the filesystem root.
 *
 * @example
 * const file = await findConfig(process.cwd());
 * const config = file ? await loadConfig(file) : undefined;
 */
export async function findConfig(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if ((await kind(candidate)) === 'file') return candidate;
    if ((await kind(join(dir, '.git'))) !== undefined) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function kind(path: string): Promise<'file' | 'other' | undefined> {
  try {
    return (await stat(path)).isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}
