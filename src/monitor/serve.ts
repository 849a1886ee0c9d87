/**
 * `/metrics` over HTTP for Prometheus to scrape (`recon run --metrics-port N`). Anything else is
 * 404. The port in use is a clear error naming it (exit 3), never a stack trace.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MonitorFailure } from './errors.js';

export interface MetricsServer {
  /** `http://HOST:PORT/metrics`, with the port actually bound (0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

/**
 * @example
 * const server = await serveMetrics({ port: 9464, host: '127.0.0.1', metrics: () => registry.metrics() });
 * server.url; // 'http://127.0.0.1:9464/metrics'
 */
export async function serveMetrics(o: { port: number; host: string; metrics: () => Promise<string>; contentType: string }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('recon serves /metrics only\n');
      return;
    }
    o.metrics().then(
      (text) => res.writeHead(200, { 'content-type': o.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${o.host}:${o.port}`;
      reject(
        error.code === 'EADDRINUSE'
          ? new MonitorFailure('RECON_METRICS_PORT_IN_USE', `--metrics-port ${o.port}: ${where} is already in use by another process`, {
              hint: 'pick another port (or 0 for any free one), or stop what listens there',
              cause: error,
            })
          : new MonitorFailure('RECON_METRICS_LISTEN', `--metrics-port ${o.port}: cannot listen on ${where} (${error.code ?? error.message})`, { cause: error }),
      );
    });
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
