/**
 * The bundled "Acme ERP" vendor sandbox: a loopback HTTP server that behaves like a real
 * ERP vendor's API, including the ways it differs from its own document
 * (`specs/acme-erp.openapi.yaml`). `recon demo` and the tests run against it.
 *
 * @example
 * ```ts
 * import { startSandbox, ACME_SPEC_PATH } from './sandbox/index.js';
 * const sandbox = await startSandbox({ seed: 42, faults: false });
 * const res = await fetch(`${sandbox.url}/api/v1/customers`, {
 *   headers: { 'X-Api-Key': sandbox.credentials.apiKey },
 * });
 * await sandbox.close();
 * ```
 */
import type { AddressInfo } from 'node:net';
import { RuntimeFailure } from '../errors.js';
import { normalizeSandboxOptions, type SandboxOptions } from './options.js';
import { createSandboxServer } from './server.js';
import { createSandboxState } from './state.js';
import type { SandboxStats } from './stats.js';

export { ACME_SPEC_PATH } from './spec-path.js';
export { SANDBOX_DEFAULTS, type SandboxOptions } from './options.js';
export { DEMO_CREDENTIALS } from './auth.js';
export { DOCUMENTED_LIMIT_PER_MINUTE, ENFORCED_LIMIT_PER_MINUTE } from './rate-limit.js';
export { planFault, type FaultPlan } from './faults.js';
export { planDeliveryFault, DELIVERY_FAULT_KINDS, type DeliveryFaultKind, type DeliveryFaultPlan } from './delivery-faults.js';
export type { SandboxStats } from './stats.js';
export { startFaultProxy, loadFaultSpec, formatFaultSpec, FAULT_KINDS, FAULT_PROXY_DEFAULTS, FAULT_SPEC_DEFAULTS, FaultSpecError, type FaultKind, type FaultSpec, type FaultProxyOptions, type FaultProxyStats, type RunningFaultProxy, type FaultEvent } from './faults/index.js';

export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  apiKey: string;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:PORT`, without the /api/v1 base path. */
  url: string;
  port: number;
  credentials: SandboxCredentials;
  /** HTTP requests received so far, whatever their outcome. */
  requestCount(): number;
  /** Records created and delivery faults injected so far (a copy). */
  stats(): SandboxStats;
  /** Stops listening, drops open connections and pending slow responses. Safe to call twice. */
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const settings = normalizeSandboxOptions(options);
  const state = createSandboxState(settings);
  const { server, cancelTimers } = createSandboxServer(state);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new RuntimeFailure('RECON_SANDBOX_LISTEN', `the sandbox could not listen on ${settings.host}:${settings.port}: ${error.code ?? error.message}`, {
          hint: error.code === 'EADDRINUSE' ? 'Pick another --port, or 0 for any free port.' : undefined,
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(settings.port, settings.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  state.baseUrl = `http://${host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: state.baseUrl,
    port,
    credentials: { ...settings.credentials },
    requestCount: () => state.requestCount,
    stats: () => state.stats.snapshot(state.requestCount),
    close() {
      closing ??= new Promise<void>((resolve) => {
        cancelTimers();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
