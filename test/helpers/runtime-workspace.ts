/**
 * A review workspace (`recon init`'s) whose sandbox target points at a running sandbox, with
 * connector files in `connectors/`: what every runtime test starts from.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initWorkspace } from '../../src/init/index.js';

/**
 * @example const dir = await connectorWorkspace(tmp, sandbox.url, { 'push-orders': ORDERS });
 */
export async function connectorWorkspace(dir: string, origin: string, connectors: Record<string, string> = {}, editConfig?: (yaml: string) => string): Promise<string> {
  await initWorkspace(dir, { sandboxUrl: origin });
  if (editConfig !== undefined) await writeFile(join(dir, 'recon.yaml'), editConfig(await readFile(join(dir, 'recon.yaml'), 'utf8')));
  await mkdir(join(dir, 'connectors'), { recursive: true });
  for (const [name, text] of Object.entries(connectors)) await writeFile(join(dir, 'connectors', `${name}.yaml`), text);
  return dir;
}
