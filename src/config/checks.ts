/**
 * Checks the schema cannot make because a value may be a reference: URLs are checked once the
 * references are resolved. Messages never echo the value (it may have come from a secret file).
 */
import type { ConfigProblem } from './errors.js';
import type { ConfigFile } from './file-format.js';
import type { ConfigSource } from './yaml-source.js';

export function checkResolvedConfig(config: ConfigFile, source: ConfigSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, target] of Object.entries(config.targets)) {
    const baseUrl = httpUrlProblem(target.baseUrl, true);
    if (baseUrl) problems.push(source.problem(['targets', name, 'baseUrl'], baseUrl));
    const auth = target.auth;
    if (auth && (auth.type === 'oauth2-client-credentials' || auth.type === 'jwt-bearer')) {
      const tokenUrl = httpUrlProblem(auth.tokenUrl, false);
      if (tokenUrl) problems.push(source.problem(['targets', name, 'auth', 'tokenUrl'], tokenUrl));
    }
  }
  return problems;
}

/** Why `value` is not an absolute http(s) URL fit for its role, or undefined when it is. */
export function httpUrlProblem(value: string, isBaseUrl: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'expected an absolute http(s) URL, e.g. https://api.vendor.example/v1';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `expected an http(s) URL, found a ${url.protocol.slice(0, -1)} URL`;
  if (url.username !== '' || url.password !== '') return 'credentials do not belong in the URL (recon.yaml is committed); use auth';
  if (isBaseUrl && (url.search !== '' || url.hash !== '')) return 'a base URL has no query or fragment: paths are appended to it';
  return undefined;
}
