// The bench's vendor document and connector workspace (bench/runtime.js, bench/workers.js): one
// POST /items operation, the header idempotency strategy, the given limit and concurrency; and
// their vendors: POST /api/items as fast as it can (`throughput`) or behind express-rate-limit
// (`limited`).
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { rateLimit } from 'express-rate-limit';

const SPEC = `openapi: 3.0.3
info: { title: Bench, version: '1' }
servers: [{ url: http://127.0.0.1/api }]
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [name], properties: { name: { type: string }, amount: { type: number } } }
      responses:
        '201': { description: created, content: { application/json: { schema: { type: object, properties: { id: { type: integer } } } } } }
`;

export function workspace(baseUrl, rateLimit, concurrency) {
  const dir = mkdtempSync(join(tmpdir(), 'recon-bench-run-'));
  writeFileSync(join(dir, 'api.yaml'), SPEC);
  writeFileSync(join(dir, 'recon.yaml'), `version: 1\ntargets:\n  bench:\n    baseUrl: ${baseUrl}/api\n    spec: api.yaml\n    auth: { type: none }\n`);
  writeFileSync(
    join(dir, 'push.yaml'),
    `name: push-items\nconfig: recon.yaml\ntarget: bench\nrateLimit: { limit: ${rateLimit.limit}, windowSeconds: ${rateLimit.windowSeconds} }\noperation: createItem\nmessageId: /id\nrequest:\n  body:\n    name: \${/name}\n    amount: \${/amount}\nidempotency:\n  strategy: header\nvendorId: /id\nconcurrency: ${concurrency}\n`,
  );
  return dir;
}

/**
 * The `limited` runs' vendor on 127.0.0.1: it creates items, 10 per second (express-rate-limit,
 * draft-7 headers), and `counts` holds the items created and the 429s sent so far; `dir` is a
 * workspace on it (the connector at 10/s, concurrency 4); `close()` stops the vendor and removes
 * the workspace.
 *
 * @example const { dir, counts, close } = await limitedVendor();
 */
export async function limitedVendor() {
  const limit = 10;
  const app = express();
  app.use(rateLimit({ windowMs: 1000, limit, standardHeaders: 'draft-7', legacyHeaders: false }));
  const counts = { created: 0, refused: 0 };
  app.use((req, res, next) => {
    res.on('finish', () => res.statusCode === 429 && counts.refused++);
    next();
  });
  app.post('/api/items', (_req, res) => res.status(201).json({ id: ++counts.created }));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const dir = workspace(`http://127.0.0.1:${server.address().port}`, { limit, windowSeconds: 1 }, 4);
  const close = () => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, counts, close };
}

/**
 * The `throughput` runs' vendor on 127.0.0.1: it creates every item it is sent, no limit;
 * `counts.created` so far; `close()` stops it.
 *
 * @example const { base, counts, close } = await unlimitedVendor();
 */
export async function unlimitedVendor() {
  const counts = { created: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: ++counts.created }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  return { base: `http://127.0.0.1:${server.address().port}`, counts, close };
}
