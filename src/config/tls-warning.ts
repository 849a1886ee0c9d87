/**
 * TLS certificate verification is on unless a target turns it off (`tls.rejectUnauthorized:
 * false` in recon.yaml, or `--tls-insecure`), and then every command that calls the target says
 * so, every run: a setting that lets anyone on the path read the credentials must not be forgotten.
 */
import type { TargetConfig } from './types.js';

/**
 * The warning for a target whose server certificate is not verified, or undefined.
 * @example insecureTlsWarning(target) // 'TLS certificate verification is OFF for target "test" (https://…) …'
 */
export function insecureTlsWarning(target: Pick<TargetConfig, 'name' | 'baseUrl' | 'tls'>): string | undefined {
  if (target.tls?.rejectUnauthorized !== false) return undefined;
  const https = /^https:/i.test(target.baseUrl);
  return (
    `TLS certificate verification is OFF for target "${target.name}" (${target.baseUrl}): ` +
    (https ? 'anyone on the network path can read and change its calls, credentials included. ' : 'and it is not even https. ') +
    `Set tls.ca to the vendor's CA instead of tls.rejectUnauthorized: false (or drop --tls-insecure).`
  );
}
