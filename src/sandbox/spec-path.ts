/** Where the Acme ERP document lives, from src/ (vitest) and from dist/ (built) alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from this module to the nearest package.json: the package root. */
function packageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`recon: no package.json above ${start}`);
    dir = parent;
  }
}

/** Absolute path of `specs/acme-erp.openapi.yaml`. */
export const ACME_SPEC_PATH: string = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'specs', 'acme-erp.openapi.yaml');
