/**
 * The review inventory of an API document: what it offers, how it is secured, what it says about
 * rate limits and idempotency, and the gaps a reviewer must raise. Plain data; rendering lives
 * in the CLI.
 */
import type { ApiSpec } from './api-spec.js';
import { asObject } from './json.js';
import type { OperationModel, SecuritySchemeModel, ServerModel, SpecVersion } from './types.js';

export interface InventoryOperation {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  tags: string[];
  deprecated: boolean;
  /** Names of the security schemes that can authorise it; `[]` means no auth documented. */
  security: string[];
  statuses: string[];
  hasRequestSchema: boolean;
  hasResponseSchema: boolean;
  hasRequestExample: boolean;
  hasResponseExample: boolean;
}

export type GapKind =
  | 'no-response-schema'
  | 'no-success-response'
  | 'undocumented-errors'
  | 'missing-examples'
  | 'missing-operation-id'
  | 'duplicate-operation-id'
  | 'undeclared-path-parameter'
  | 'unknown-security-scheme'
  | 'unresolved-ref';

export interface Gap {
  kind: GapKind;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** `GET /customer/{id}` when the gap is about one operation. */
  operation?: string;
  /** Where in which document. */
  location?: string;
}

export interface RateLimitHints {
  /** Response headers documented on responses, with how many operations document them. */
  documentedHeaders: { name: string; operations: number }[];
  /** Rate-limit header names mentioned in the prose of the document. */
  mentionedHeaders: string[];
  /** Operations that document a 429 response. */
  operationsWith429: number;
  /** Sentences about rate limits, concurrency or 429s, and where they were found. */
  statements: { text: string; location: string }[];
}

export interface Inventory {
  source: { location: string; format: string; bytes: number; sha256: string };
  title: string;
  version: string;
  specVersion: SpecVersion;
  declaredVersion: string;
  /** True when a Swagger 2.0 document was converted to OpenAPI 3.0 in memory. */
  converted: boolean;
  servers: ServerModel[];
  counts: { paths: number; operations: number; schemas: number; byMethod: Record<string, number>; documents: number };
  operations: InventoryOperation[];
  securitySchemes: (SecuritySchemeModel & { operations: number })[];
  /** Operations with no security requirement at all. */
  unauthenticatedOperations: number;
  rateLimits: RateLimitHints;
  idempotency: { headers: { name: string; operations: string[] }[] };
  gaps: Gap[];
}

const RATE_HEADER = /^(x-)?rate-?limit|^retry-after$|^ratelimit/i;
const IDEMPOTENCY_HEADER = /idempot/i;
const MENTIONED_HEADER = /\b(?:X-)?Rate-?Limit(?:-[A-Za-z]+)+\b|\bRetry-After\b|\bRateLimit(?:-Policy)?\b/g;
const RATE_SENTENCE = /rate[- ]?limit|\b429\b|too many requests|concurrent (?:api-)?requests|requests? per (?:second|minute|hour|day)|throttl/i;
const MAX_STATEMENTS = 12;

export function buildInventory(spec: ApiSpec): Inventory {
  const operations = spec.operations.map(describeOperation);
  const schemeNames = new Set(spec.securitySchemes.map((s) => s.name));
  const usage = new Map<string, number>();
  for (const op of operations) for (const name of op.security) usage.set(name, (usage.get(name) ?? 0) + 1);
  const byMethod: Record<string, number> = {};
  for (const op of operations) byMethod[op.method] = (byMethod[op.method] ?? 0) + 1;
  const components = asObject(spec.document.components);

  return {
    source: { location: spec.source.location, format: spec.source.format, bytes: spec.source.bytes, sha256: spec.source.sha256 },
    title: spec.info.title,
    version: spec.info.version,
    specVersion: spec.specVersion,
    declaredVersion: spec.declaredVersion,
    converted: spec.specVersion === '2.0',
    servers: spec.servers,
    counts: {
      paths: Object.keys(asObject(spec.document.paths)).length,
      operations: operations.length,
      schemas: Object.keys(asObject(components.schemas)).length,
      byMethod,
      documents: spec.documents.all().length,
    },
    operations,
    securitySchemes: spec.securitySchemes.map((s) => ({ ...s, operations: usage.get(s.name) ?? 0 })),
    unauthenticatedOperations: operations.filter((op) => op.security.length === 0).length,
    rateLimits: rateLimitHints(spec),
    idempotency: { headers: idempotencyHeaders(spec.operations) },
    gaps: findGaps(spec, operations, schemeNames),
  };
}

export function operationLabel(op: { method: string; path: string }): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

function describeOperation(op: OperationModel): InventoryOperation {
  const success = op.responses.filter((r) => /^2/.test(r.status));
  const out: InventoryOperation = {
    method: op.method.toUpperCase(),
    path: op.path,
    tags: op.tags,
    deprecated: op.deprecated,
    security: [...new Set(op.security.flatMap((requirement) => Object.keys(requirement)))],
    statuses: op.responses.map((r) => r.status),
    hasRequestSchema: op.requestBody?.content.some((c) => c.schema !== undefined) ?? false,
    hasResponseSchema: success.some((r) => r.content.some((c) => c.schema !== undefined)),
    hasRequestExample: op.requestBody?.content.some((c) => c.hasExample) ?? false,
    hasResponseExample: op.responses.some((r) => r.content.some((c) => c.hasExample)),
  };
  if (op.operationId !== undefined) out.operationId = op.operationId;
  if (op.summary !== undefined) out.summary = op.summary;
  return out;
}

function findGaps(spec: ApiSpec, operations: InventoryOperation[], schemeNames: Set<string>): Gap[] {
  const gaps: Gap[] = [];
  const idCount = new Map<string, number>();
  for (const op of operations) if (op.operationId) idCount.set(op.operationId, (idCount.get(op.operationId) ?? 0) + 1);

  spec.operations.forEach((model, i) => {
    const op = operations[i]!;
    const label = operationLabel(op);
    const location = spec.documents.describe(model.at);
    const add = (kind: GapKind, severity: Gap['severity'], message: string) => gaps.push({ kind, severity, message, operation: label, location });
    const success = model.responses.filter((r) => /^2/.test(r.status) || r.status === 'default');
    if (!success.some((r) => /^2/.test(r.status))) {
      if (success.some((r) => r.status === 'default')) add('no-success-response', 'info', 'documents only a default response: which 2xx status does it return?');
      else add('no-success-response', 'warning', 'documents no 2xx response');
    }
    if (!op.hasResponseSchema && op.method !== 'HEAD') {
      // A 200 without a schema leaves the body unknown. A 201/202 may well have no body (the
      // created resource is at Location), so it is only worth a question, and none when the
      // doc names the Location header.
      const unknownBody = success.filter((r) => /^2(00|03|06)$/.test(r.status));
      const maybeBody = success.filter((r) => /^20[12]$/.test(r.status) && !r.headers.some((h) => h.name.toLowerCase() === 'location'));
      if (unknownBody.length > 0) add('no-response-schema', 'warning', `no schema for the ${unknownBody.map((r) => r.status).join('/')} response body`);
      else if (maybeBody.length > 0) add('no-response-schema', 'info', `documents no body and no Location header for ${maybeBody.map((r) => r.status).join('/')}: what does it return?`);
    }
    if (!model.responses.some((r) => /^[45]/.test(r.status) || r.status === 'default')) add('undocumented-errors', 'warning', 'documents no error response (4xx/5xx/default)');
    if (!op.hasResponseExample && !op.hasRequestExample) add('missing-examples', 'info', 'no request or response example');
    if (!op.operationId) add('missing-operation-id', 'info', 'has no operationId');
    else if ((idCount.get(op.operationId) ?? 0) > 1) add('duplicate-operation-id', 'error', `operationId "${op.operationId}" is used ${idCount.get(op.operationId)} times`);
    const declared = new Set(model.parameters.filter((p) => p.in === 'path').map((p) => p.name));
    for (const name of templateNames(model.path)) {
      if (!declared.has(name)) add('undeclared-path-parameter', 'warning', `path parameter {${name}} is not declared`);
    }
    for (const name of op.security) {
      if (!schemeNames.has(name)) add('unknown-security-scheme', 'error', `security scheme "${name}" is not defined in components`);
    }
  });
  for (const ref of spec.documents.unresolved) {
    gaps.push({ kind: 'unresolved-ref', severity: 'error', message: `$ref "${ref.ref}" cannot be resolved: ${ref.reason}`, location: spec.documents.describe(ref.from) });
  }
  return gaps;
}

function templateNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}

function rateLimitHints(spec: ApiSpec): RateLimitHints {
  const headerOps = new Map<string, { name: string; operations: number }>();
  let operationsWith429 = 0;
  for (const op of spec.operations) {
    if (op.responses.some((r) => r.status === '429')) operationsWith429++;
    const names = new Set(op.responses.flatMap((r) => r.headers.map((h) => h.name)).filter((n) => RATE_HEADER.test(n)));
    for (const name of names) {
      const key = name.toLowerCase();
      const entry = headerOps.get(key) ?? { name, operations: 0 };
      entry.operations++;
      headerOps.set(key, entry);
    }
  }
  const mentioned = new Set<string>();
  const statements: RateLimitHints['statements'] = [];
  for (const { text, location } of proseOf(spec)) {
    for (const match of text.matchAll(MENTIONED_HEADER)) mentioned.add(match[0]);
    for (const sentence of sentencesOf(text)) {
      if (statements.length < MAX_STATEMENTS && RATE_SENTENCE.test(sentence) && !statements.some((s) => s.text === sentence)) {
        statements.push({ text: sentence, location });
      }
    }
  }
  return { documentedHeaders: [...headerOps.values()], mentionedHeaders: [...mentioned], operationsWith429, statements };
}

/** Descriptions where vendors write about limits: info, tags, top-level `x-*`, operations. */
function* proseOf(spec: ApiSpec): Generator<{ text: string; location: string }> {
  const document = spec.document;
  const shown = spec.source.shown;
  const info = asObject(document.info);
  if (typeof info.description === 'string') yield { text: info.description, location: `${shown}#/info/description` };
  const tags = Array.isArray(document.tags) ? document.tags : [];
  for (const [i, tag] of tags.entries()) {
    const description = asObject(tag).description;
    if (typeof description === 'string') yield { text: description, location: `${shown}#/tags/${i}/description` };
  }
  for (const [key, value] of Object.entries({ ...document, ...info })) {
    if (key.startsWith('x-')) yield* stringsIn(value, `${shown}#/${key}`);
  }
  for (const op of spec.operations) {
    const description = asObject(spec.documents.valueAt(op.at)).description;
    if (typeof description === 'string') yield { text: description, location: spec.documents.describe(op.at) };
  }
}

function* stringsIn(value: unknown, location: string, depth = 0): Generator<{ text: string; location: string }> {
  if (depth > 6) return;
  if (typeof value === 'string') yield { text: value, location };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsIn(v, `${location}/${i}`, depth + 1);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* stringsIn(v, `${location}/${k}`, depth + 1);
}

function sentencesOf(text: string): string[] {
  return text
    .replace(/^\s*#+ .*$/gm, '\n') // Markdown headings are titles, not statements
    .replace(/[`*_>]/g, '')
    .split(/(?<=[.!?])\s+|\n\s*\n|\n\s*[-*]\s+/)
    .map((s) => s.replace(/\s+/g, ' ').trim().replace(/^[-*] /, ''))
    .filter((s) => s.length > 0)
    .map((s) => (s.length > 240 ? `${s.slice(0, 237)}...` : s));
}

function idempotencyHeaders(operations: OperationModel[]): { name: string; operations: string[] }[] {
  const found = new Map<string, { name: string; operations: string[] }>();
  for (const op of operations) {
    for (const p of op.parameters) {
      if (p.in !== 'header' || !IDEMPOTENCY_HEADER.test(p.name)) continue;
      const entry = found.get(p.name.toLowerCase()) ?? { name: p.name, operations: [] };
      entry.operations.push(operationLabel({ method: op.method, path: op.path }));
      found.set(p.name.toLowerCase(), entry);
    }
  }
  return [...found.values()];
}

