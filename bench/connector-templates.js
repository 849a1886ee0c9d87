// The Acme connectors the tests and benches share (bench/faults.js, test/helpers/crash.ts,
// test/runtime-*.test.ts…), filled in from fixtures/connectors/templates/. Plain JS so that
// `node bench/…` reads them too; the tests import it through test/helpers/runtime-workspace.ts.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'connectors', 'templates');

/**
 * The connector YAML of `fixtures/connectors/templates/<template>.yaml`: `{{id}}` becomes the
 * record's id field, `{{quantity}}` the quantity (default `${/qty}`), then one line per setting
 * (the value as JSON, which is YAML) and `extra` as it is.
 *
 * @example connectorYaml('push-orders-header', { id: 'orderNo', settings: { rateLimit: { limit: 40, windowSeconds: 1 }, timeoutMs: 2000 } })
 * @param {'push-orders-header' | 'push-invoices-lookup'} template
 * @param {{ id: string, quantity?: string, settings?: Record<string, unknown>, extra?: string }} options
 * @returns {string}
 */
export function connectorYaml(template, { id, quantity = '${/qty}', settings = {}, extra = '' }) {
  const text = readFileSync(join(TEMPLATES, `${template}.yaml`), 'utf8')
    .replace(/^(#.*\n)+/, '')
    .replaceAll('{{id}}', id)
    .replaceAll('{{quantity}}', quantity);
  const lines = Object.entries(settings).map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`);
  return text + lines.join('') + extra;
}
