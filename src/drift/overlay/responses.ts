/**
 * Corrections around schemas: operations, statuses, content types and headers the document does
 * not have, a required header that is not always sent, and bodies that do not parse.
 */
import type { ApiSpec } from '../../spec/api-spec.js';
import { isReference } from '../../spec/documents.js';
import type { SchemaDialect } from '../../spec/types.js';
import { operationKey, type FindingEntry } from '../aggregate.js';
import type { ShapeAccumulator } from '../infer.js';
import { isJsonMediaType } from '../recording/index.js';
import { bareMediaType } from '../response.js';
import { INVALID_BODY_EXTENSION } from '../run.js';
import type { ActionSink } from './sink.js';

const OBSERVED = 'Observed by recon; not in the vendor document.';

interface ObservedResponse {
  status: string;
  /** media type → shape of the bodies ('' key: no body). */
  content: Map<string, ShapeAccumulator | undefined>;
  headers: Set<string>;
  evidence: string[];
}

export class ResponseEdits {
  private readonly dialect: SchemaDialect;
  /** Undocumented operations: `METHOD path` → statuses. */
  private readonly operations = new Map<string, { method: string; path: string; responses: Map<string, ObservedResponse> }>();
  /** Undocumented statuses of documented operations: operation pointer → statuses. */
  private readonly statuses = new Map<string, Map<string, ObservedResponse>>();

  constructor(
    private readonly spec: ApiSpec,
    private readonly sink: ActionSink,
  ) {
    this.dialect = spec.documents.dialectOf(spec.documents.root.uri);
  }

  add(entry: FindingEntry, evidence: string): boolean {
    switch (entry.kind) {
      case 'undocumented-operation': {
        const key = operationKey(entry.operation);
        let op = this.operations.get(key);
        if (op === undefined) this.operations.set(key, (op = { method: entry.operation.method.toLowerCase(), path: entry.operation.path, responses: new Map() }));
        observe(op.responses, entry, evidence);
        return true;
      }
      case 'undocumented-status': {
        if (!this.inRoot(entry)) return false;
        let statuses = this.statuses.get(entry.location!.pointer);
        if (statuses === undefined) this.statuses.set(entry.location!.pointer, (statuses = new Map()));
        observe(statuses, entry, evidence);
        return true;
      }
      case 'undocumented-content-type':
        return this.inRoot(entry) && this.contentType(entry, evidence);
      case 'undocumented-header':
        if (!this.inRoot(entry)) return false;
        // The response object exists; its `headers` map may not: merge it in from the response.
        this.sink.update(entry.location!.pointer, [], { headers: { [headerName(entry)]: this.headerObject(headerName(entry)) } }, evidence);
        return true;
      case 'missing-header':
        return entry.severity === 'error' && this.inRoot(entry) && this.requiredHeader(entry, evidence);
      case 'invalid-body':
        if (!this.inRoot(entry)) return false;
        this.sink.update(entry.location!.pointer, [], { [INVALID_BODY_EXTENSION]: { seen: entry.responses, reason: entry.detail ?? 'does not parse' } }, evidence);
        return true;
      default:
        return false;
    }
  }

  emit(): void {
    for (const [pointer, statuses] of this.statuses) {
      const responses: Record<string, unknown> = {};
      for (const response of statuses.values()) responses[response.status] = this.responseObject(response);
      this.sink.update(pointer, ['responses'], responses, [...statuses.values()].flatMap((r) => r.evidence).join(' '), 'create');
    }
    const paths: Record<string, Record<string, unknown>> = {};
    const why: string[] = [];
    for (const op of this.operations.values()) {
      const responses: Record<string, unknown> = {};
      for (const response of op.responses.values()) {
        responses[response.status] = this.responseObject(response);
        why.push(...response.evidence);
      }
      const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const operation: Record<string, unknown> = { summary: OBSERVED, 'x-recon-observed': true, responses };
      if (names.length > 0) operation.parameters = names.map((name) => this.pathParameter(name));
      if (this.dialect === 'swagger-2.0') {
        const produces = [...new Set([...op.responses.values()].flatMap((r) => [...r.content.keys()].filter((k) => k !== '')))];
        if (produces.length > 0) operation.produces = produces;
      }
      (paths[op.path] ??= {})[op.method] = operation;
    }
    if (Object.keys(paths).length > 0) this.sink.update('', ['paths'], paths, why.join(' '), 'create');
  }

  private responseObject(response: ObservedResponse): Record<string, unknown> {
    const object: Record<string, unknown> = { description: `Status ${response.status}. ${OBSERVED}` };
    if (response.headers.size > 0) object.headers = Object.fromEntries([...response.headers].map((name) => [name, this.headerObject(name)]));
    const bodies = [...response.content.entries()].filter(([mediaType]) => mediaType !== '' && mediaType !== '(none)');
    if (bodies.length === 0) return object;
    if (this.dialect === 'swagger-2.0') {
      const [, shape] = bodies.find(([mediaType]) => isJsonMediaType(mediaType)) ?? bodies[0]!;
      object.schema = shape?.toSchema(this.dialect) ?? {};
      return object;
    }
    object.content = Object.fromEntries(bodies.map(([mediaType, shape]) => [mediaType, { schema: shape?.toSchema(this.dialect) ?? {} }]));
    return object;
  }

  private contentType(entry: FindingEntry, evidence: string): boolean {
    const mediaType = entry.contentType;
    if (mediaType === undefined || mediaType === '(none)') return false;
    const at = entry.location!;
    if (this.dialect === 'swagger-2.0') {
      // Swagger 2.0 lists media types per operation or document (`produces`); recon's reading
      // falls back to the document's list, so that is where the observed one is added.
      this.sink.update('', ['produces'], [mediaType], `${mediaType} is sent. ${evidence}`);
      return true;
    }
    const response = this.spec.documents.valueAt(at) as { content?: Record<string, { schema?: unknown }> } | undefined;
    // The same data in a vendor media type (`application/vnd.acme.v1+json`): reuse the
    // documented JSON schema, which the bodies were checked against.
    const documentedJson = Object.entries(response?.content ?? {}).find(([key]) => isJsonMediaType(bareMediaType(key)))?.[1]?.schema;
    const schema = isJsonMediaType(mediaType) && documentedJson !== undefined ? documentedJson : entry.shape?.toSchema(this.dialect) ?? {};
    this.sink.update(at.pointer, ['content'], { [mediaType]: { schema } }, `${mediaType} is sent. ${evidence}`);
    return true;
  }

  private requiredHeader(entry: FindingEntry, evidence: string): boolean {
    // A header `$ref` is replaced by its target (siblings of `$ref` are ignored in 3.0): edit the target.
    let at = entry.location!;
    const value = this.spec.documents.valueAt(at);
    if (isReference(value)) {
      const target = this.spec.documents.deref(at);
      if (target === undefined || target.at.uri !== this.spec.documents.root.uri) return false;
      at = target.at;
    }
    this.sink.update(at.pointer, [], { required: false }, `Not always sent. ${evidence}`);
    return true;
  }

  /** A header the document already describes (`components/headers`) is referenced, not redescribed. */
  private headerObject(name: string): Record<string, unknown> {
    const components = (this.spec.document.components as { headers?: Record<string, unknown> } | undefined)?.headers;
    if (this.dialect !== 'swagger-2.0' && components !== undefined && Object.prototype.hasOwnProperty.call(components, name)) {
      return { $ref: `#/components/headers/${name.replace(/~/g, '~0').replace(/\//g, '~1')}` };
    }
    if (this.dialect === 'swagger-2.0') return { type: 'string', description: OBSERVED };
    return { description: OBSERVED, schema: { type: 'string' } };
  }

  private pathParameter(name: string): Record<string, unknown> {
    if (this.dialect === 'swagger-2.0') return { name, in: 'path', required: true, type: 'string' };
    return { name, in: 'path', required: true, schema: { type: 'string' } };
  }

  private inRoot(entry: FindingEntry): boolean {
    return entry.location !== undefined && entry.location.uri === this.spec.documents.root.uri;
  }
}

function observe(responses: Map<string, ObservedResponse>, entry: FindingEntry, evidence: string): void {
  const status = entry.status ?? 'default';
  let response = responses.get(status);
  if (response === undefined) responses.set(status, (response = { status, content: new Map(), headers: new Set(), evidence: [] }));
  for (const name of entry.headers ?? []) response.headers.add(name);
  response.evidence.push(evidence);
  const mediaType = entry.contentType ?? '';
  const existing = response.content.get(mediaType);
  if (existing !== undefined && entry.shape !== undefined) existing.merge(entry.shape);
  else response.content.set(mediaType, existing ?? entry.shape);
}

function headerName(entry: FindingEntry): string {
  return entry.pointer.slice('header:'.length);
}
