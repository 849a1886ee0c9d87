// The bench's vendor document and connector workspace (bench/runtime.js, bench/workers.js): one
// POST /items operation, the header idempotency strategy, the given limit and concurrency.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

