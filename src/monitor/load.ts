/**
 * The connectors `recon monitor rules` writes rules for: the files given, every connector file
 * in the folders given, or the workspace's `connectors/` folder — each loaded as `recon run`
 * loads it, with its integration spec (or the one `--integration` names).
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { findConfig } from '../config/index.js';
import { readIntegrationSpec, type IntegrationSpec } from '../report/integration-spec/index.js';
import { loadConnector } from '../runtime/connector/index.js';
import { MonitorInputError } from './errors.js';
import { integrationSpecOf, thresholdsOf, type ConnectorThresholds } from './thresholds.js';

const CONNECTOR_FILE = /\.(ya?ml|m?js)$/i;

/**
 * @example
 * await loadThresholds({ cwd, env: process.env, connectors: ['connectors/'], integration: 'review/integration-spec.yaml' })
 */
export async function loadThresholds(o: { cwd: string; env: NodeJS.ProcessEnv; connectors?: string[]; integration?: string }): Promise<ConnectorThresholds[]> {
  const files = await connectorFiles(o.connectors ?? [], o.cwd);
  const shared: IntegrationSpec | undefined = o.integration === undefined ? undefined : await readIntegrationSpec(resolve(o.cwd, o.integration));
  const out: ConnectorThresholds[] = [];
  for (const file of files) {
    const loaded = await loadConnector(file, { cwd: o.cwd, env: withoutSecrets(o.env) });
    out.push(thresholdsOf(loaded, shared ?? (await integrationSpecOf(loaded))));
  }
  return out;
}

async function connectorFiles(given: string[], cwd: string): Promise<string[]> {
  let places = given;
  if (places.length === 0) {
    const config = await findConfig(cwd);
    const dir = join(config === undefined ? cwd : dirname(config), 'connectors');
    if (!(await isDirectory(dir))) throw new MonitorInputError(`no connectors to write rules for: ${dir} does not exist; name them with --connectors DIR|FILE…`);
    places = [dir];
  }
  const files: string[] = [];
  for (const place of places) {
    const path = resolve(cwd, place);
    if (await isDirectory(path)) {
      for (const name of (await readdir(path)).sort()) if (CONNECTOR_FILE.test(name) && !/^integration-spec\./i.test(name) && name !== 'recon.yaml') files.push(join(path, name));
    } else files.push(path);
  }
  if (files.length === 0) throw new MonitorInputError(`no connector files (.yaml, .js) in ${places.join(', ')}`);
  return files;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Rules need a connector's operations and limits, never its credentials: a `${env:…}` secret
 * that is not set (a CI job writing the rules) reads as a placeholder instead of failing.
 */
function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return new Proxy(env, { get: (target, key) => (typeof key === 'string' ? (target[key] ?? 'unused-by-recon-monitor-rules') : undefined) });
}
