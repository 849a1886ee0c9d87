// Real rate limiters recon did not write, on loopback, for bench/limits.js: an express app with
// express-rate-limit in one header mode, and nginx `limit_req` (leaky bucket) serving a file.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { rateLimit } from 'express-rate-limit';

/** `mode`: 'draft-6' | 'draft-7' | 'draft-8' | 'legacy' (X-RateLimit-*) | 'none' (no headers at all). */
export async function startExpress({ mode, limit, windowMs }) {
  const app = express();
  app.use(
    rateLimit({
      windowMs,
      limit,
      standardHeaders: mode.startsWith('draft') ? mode : false,
      legacyHeaders: mode === 'legacy',
      message: 'Too Many Requests',
    }),
  );
  app.get('/items', (_req, res) => res.json({ data: [{ id: 1 }] }));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** nginx from PATH; installs it with apt-get when missing (the bench machine is disposable). */
export function ensureNginx() {
  const find = () => {
    for (const candidate of ['nginx', '/usr/sbin/nginx']) {
      try {
        execFileSync(candidate, ['-v'], { stdio: 'ignore' });
        return candidate;
      } catch {}
    }
    return undefined;
  };
  let nginx = find();
  if (nginx === undefined) {
    try {
      execFileSync('apt-get', ['install', '-y', 'nginx'], { stdio: 'ignore', timeout: 300_000 });
    } catch (error) {
      return { error: `nginx is missing and apt-get install -y nginx failed: ${error.message.split('\n')[0]}` };
    }
    nginx = find();
  }
  return nginx === undefined ? { error: 'nginx is missing after apt-get install' } : { nginx };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * nginx `limit_req zone rate=<rate>r/s burst=<burst> [nodelay]`, refusing with 429 (without
 * nodelay it delays calls within the burst instead of answering them at once). A static file is
 * served, because `return` runs in the rewrite phase, before limit_req (preaccess) could refuse.
 */
export async function startNginx(nginx, { rate, burst, nodelay = true }) {
  const dir = mkdtempSync(join(tmpdir(), 'recon-bench-nginx-'));
  chmodSync(dir, 0o755); // nginx workers run as nobody and must read the file
  const port = await freePort();
  mkdirSync(join(dir, 'www'));
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'www', 'items'), '{"data":[{"id":1}]}');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((n) => `  ${n}_temp_path ${join(dir, n)};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
error_log ${join(dir, 'logs', 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 256; }
http {
  access_log off;
${temp}
  limit_req_zone $binary_remote_addr zone=api:1m rate=${rate}r/s;
  server {
    listen 127.0.0.1:${port};
    location / {
      limit_req zone=api burst=${burst}${nodelay ? ' nodelay' : ''};
      limit_req_status 429;
      default_type application/json;
      root ${join(dir, 'www')};
    }
  }
}
`,
  );
  const child = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log'), '-g', 'daemon off;'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    try {
      const res = await fetch(`${url}/health-check-404`);
      await res.arrayBuffer();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // The readiness call above was charged to the zone: let the bucket drain before measuring.
  await new Promise((r) => setTimeout(r, 2000));
  return {
    url,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
