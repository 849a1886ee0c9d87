/**
 * A review workspace (`recon init`'s) whose sandbox target points at a running sandbox, with
 * connector files in `connectors/`: what every runtime test starts from. The Acme connectors the
 * tests share come from fixtures/connectors/templates/ (`connectorYaml`), and a workspace on a
 * plain server takes `authNone` (or `withAuth(…)`) as its config edit.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initWorkspace } from '../../src/init/index.js';
// @ts-expect-error -- plain JS shared with `node bench/faults.js` (not type-checked)
import { connectorYaml as fromTemplate } from '../../bench/connector-templates.js';

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

/**
 * A config edit for `connectorWorkspace`: the sandbox target's `auth:` block becomes `auth: <auth>`.
 *
 * @example await connectorWorkspace(tmp, origin, connectors, withAuth('{ type: apiKey, in: header, name: X-Api-Key, value: k }'));
 */
export function withAuth(auth: string): (yaml: string) => string {
  return (yaml) => yaml.replace(/    auth:\n(      .*\n|      #.*\n)+/, `    auth: ${auth}\n`);
}

/** The sandbox target without auth: for a plain `http.createServer` vendor. */
export const authNone = withAuth('{ type: none }');

export interface ConnectorTemplateOptions {
  /** The record's id field: `ref`, `orderNo`, `invoiceNo`. */
  id: string;
  /** Each item's quantity; default `${/qty}`. */
  quantity?: string;
  /** One line each, the value written as JSON: rateLimit, concurrency, timeoutMs, retry… */
  settings?: Record<string, unknown>;
  /** YAML appended as it is. */
  extra?: string;
}

/**
 * An Acme connector from fixtures/connectors/templates/ (the same ones bench/faults.js uses):
 * push-orders with the header strategy, or push-invoices with lookup on externalRef.
 *
 * @example const orders = connectorYaml('push-orders-header', { id: 'orderNo', settings: { rateLimit: { limit: 40, windowSeconds: 1 } } });
 */
export const connectorYaml: (template: 'push-orders-header' | 'push-invoices-lookup', options: ConnectorTemplateOptions) => string = fromTemplate;
