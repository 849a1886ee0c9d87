import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildInventory, loadSpec, type GapKind, type Inventory } from '../src/spec/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-inventory-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

let counter = 0;
async function inventoryOf(document: object): Promise<Inventory> {
  const file = join(dir, `doc-${counter++}.yaml`);
  await writeFile(file, stringify(document));
  return buildInventory(await loadSpec(file));
}

const base = { openapi: '3.0.3', info: { title: 'T', version: '1' } };
const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '404': { description: 'no' } };

describe('gaps', () => {
  const table: [string, { paths: object; components?: object; want: [GapKind, string][] }][] = [
    ['a clean operation has none but a missing example', { paths: { '/a': { get: { operationId: 'a', responses: ok } } }, want: [['missing-examples', 'info']] }],
    [
      'no response schema on a 200',
      { paths: { '/a': { get: { operationId: 'a', responses: { '200': { description: 'ok' }, '400': { description: 'bad' } } } } }, want: [['no-response-schema', 'warning'], ['missing-examples', 'info']] },
    ],
    [
      'a 201 with a Location header needs no body',
      {
        paths: { '/a': { post: { operationId: 'a', responses: { '201': { description: 'made', headers: { Location: { schema: { type: 'string' } } } }, '400': { description: 'bad' } } } } },
        want: [['missing-examples', 'info']],
      },
    ],
    [
      'a 201 without body or Location is a question',
      { paths: { '/a': { post: { operationId: 'a', responses: { '201': { description: 'made' }, '400': { description: 'bad' } } } } }, want: [['no-response-schema', 'info'], ['missing-examples', 'info']] },
    ],
    [
      'no error responses and no 2xx',
      { paths: { '/a': { get: { operationId: 'a', responses: { '302': { description: 'moved' } } } } }, want: [['no-success-response', 'warning'], ['undocumented-errors', 'warning'], ['missing-examples', 'info']] },
    ],
    [
      'only a default response',
      { paths: { '/a': { delete: { operationId: 'a', responses: { default: { description: 'successful operation' } } } } }, want: [['no-success-response', 'info'], ['missing-examples', 'info']] },
    ],
    [
      'missing and duplicate operationIds, undeclared path parameter, unknown scheme',
      {
        paths: {
          '/a/{id}': { get: { responses: ok, security: [{ ghost: [] }] } },
          '/b': { get: { operationId: 'x', responses: ok }, post: { operationId: 'x', responses: ok } },
        },
        want: [
          ['missing-examples', 'info'],
          ['missing-operation-id', 'info'],
          ['undeclared-path-parameter', 'warning'],
          ['unknown-security-scheme', 'error'],
          ['missing-examples', 'info'],
          ['duplicate-operation-id', 'error'],
          ['missing-examples', 'info'],
          ['duplicate-operation-id', 'error'],
        ],
      },
    ],
  ];

  it.each(table)('%s', async (_name, { paths, components, want }) => {
    const inventory = await inventoryOf({ ...base, paths, ...(components ? { components } : {}) });
    expect(inventory.gaps.map((g) => [g.kind, g.severity])).toEqual(want);
    for (const gap of inventory.gaps) expect(gap.location).toMatch(/doc-\d+\.yaml#\/paths\//);
  });
});

describe('security, rate limits and idempotency', () => {
  it('counts who uses which scheme, and operations without security', async () => {
    const inventory = await inventoryOf({
      ...base,
      security: [{ oauth: ['read'] }],
      paths: {
        '/a': { get: { operationId: 'a', responses: ok } },
        '/b': { get: { operationId: 'b', responses: ok, security: [{ key: [] }, { oauth: [] }] } },
        '/health': { get: { operationId: 'h', responses: ok, security: [] } },
      },
      components: {
        securitySchemes: {
          oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://x/token', scopes: { read: 'r', write: 'w' } } } },
          key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        },
      },
    });
    expect(inventory.securitySchemes).toEqual([
      expect.objectContaining({ name: 'oauth', operations: 2, flows: { clientCredentials: { tokenUrl: 'https://x/token', scopes: ['read', 'write'] } } }),
      expect.objectContaining({ name: 'key', operations: 1, in: 'header', paramName: 'X-Api-Key' }),
    ]);
    expect(inventory.unauthenticatedOperations).toBe(1);
  });

  it('finds documented rate-limit headers, 429s, prose and idempotency headers', async () => {
    const inventory = await inventoryOf({
      ...base,
      info: { title: 'T', version: '1', description: '## Limits\n\nYou may make 100 requests per minute. Be nice.\n\nExceeding it gives `Retry-After`.' },
      paths: {
        '/a': {
          post: {
            operationId: 'a',
            parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
            responses: {
              ...ok,
              '429': { description: 'slow down', headers: { 'Retry-After': { schema: { type: 'integer' } } } },
            },
          },
        },
        '/b': { get: { operationId: 'b', responses: { '200': { description: 'ok', headers: { 'X-RateLimit-Remaining': { schema: { type: 'integer' } } } } } } },
      },
    });
    expect(inventory.rateLimits.operationsWith429).toBe(1);
    expect(inventory.rateLimits.documentedHeaders).toEqual([
      { name: 'Retry-After', operations: 1 },
      { name: 'X-RateLimit-Remaining', operations: 1 },
    ]);
    expect(inventory.rateLimits.mentionedHeaders).toEqual(['Retry-After']);
    expect(inventory.rateLimits.statements.map((s) => s.text)).toEqual(['You may make 100 requests per minute.']);
    expect(inventory.idempotency.headers).toEqual([{ name: 'Idempotency-Key', operations: ['POST /a'] }]);
  });

  it("reads Tripletex's rate-limit prose", async () => {
    const inventory = buildInventory(await loadSpec(join(FIXTURES, 'specs/tripletex/tripletex-openapi-3.0.json')));
    expect(inventory.rateLimits.mentionedHeaders).toEqual(['X-Rate-Limit-Limit', 'X-Rate-Limit-Remaining', 'X-Rate-Limit-Reset']);
    expect(inventory.rateLimits.statements.map((s) => s.text)).toContain('X-Rate-Limit-Reset - The number of seconds left in the current period.');
    expect(inventory.counts).toMatchObject({ paths: 494, operations: 739 });
  });

  it("reads 24SevenOffice's x- documentation sections", async () => {
    const inventory = buildInventory(await loadSpec(join(FIXTURES, 'specs/24sevenoffice/rest.yaml')));
    expect(inventory.rateLimits.statements.some((s) => /rate limiting/i.test(s.text) && s.location.includes('#/x-'))).toBe(true);
  });
});
