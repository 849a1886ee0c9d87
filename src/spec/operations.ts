/**
 * Read the operations of an OpenAPI 3.x document (Swagger 2.0 already converted) into the
 * shared model, following `$ref`s to parameters, request bodies, responses and headers.
 */
import type { DocumentSet } from './documents.js';
import { asObject } from './json.js';
import { escapeToken } from './pointer.js';
import { readServers } from './servers.js';
import {
  HTTP_METHODS,
  type HeaderModel,
  type MediaTypeModel,
  type NodeRef,
  type OperationModel,
  type ParameterLocation,
  type ParameterModel,
  type RequestBodyModel,
  type ResponseModel,
  type SecurityRequirement,
} from './types.js';

type Json = Record<string, unknown>;

const MAX_EXAMPLE_VALUES = 5;

export function readOperations(set: DocumentSet): OperationModel[] {
  const root = set.root;
  const document = asObject(root.value);
  const paths = asObject(document.paths);
  const globalSecurity = readSecurity(document.security) ?? [];
  const operations: OperationModel[] = [];
  for (const path of Object.keys(paths)) {
    const itemAt: NodeRef = { uri: root.uri, pointer: `/paths/${escapeToken(path)}` };
    const item = set.follow(paths[path], itemAt);
    if (!item) continue;
    const itemValue = asObject(item.value);
    const shared = readParameters(set, itemValue.parameters, item.at);
    for (const method of HTTP_METHODS) {
      const operation = itemValue[method];
      if (operation === null || typeof operation !== 'object') continue;
      const at = { uri: item.at.uri, pointer: `${item.at.pointer}/${method}` };
      operations.push(readOperation(set, path, method, asObject(operation), at, shared, globalSecurity, itemValue.servers));
    }
  }
  return operations;
}

function readOperation(
  set: DocumentSet,
  path: string,
  method: OperationModel['method'],
  operation: Json,
  at: NodeRef,
  shared: ParameterModel[],
  globalSecurity: SecurityRequirement[],
  pathServers: unknown,
): OperationModel {
  const own = readParameters(set, operation.parameters, at);
  const byKey = new Map<string, ParameterModel>();
  for (const p of [...shared, ...own]) byKey.set(`${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`, p);
  const model: OperationModel = {
    method,
    path,
    tags: Array.isArray(operation.tags) ? operation.tags.map(String) : [],
    deprecated: operation.deprecated === true,
    parameters: [...byKey.values()],
    responses: readResponses(set, operation.responses, at),
    security: readSecurity(operation.security) ?? globalSecurity,
    at,
    extensions: Object.fromEntries(Object.entries(operation).filter(([k]) => k.startsWith('x-'))),
  };
  if (typeof operation.operationId === 'string') model.operationId = operation.operationId;
  if (typeof operation.summary === 'string') model.summary = operation.summary;
  const servers = readServers(operation.servers) ?? readServers(pathServers);
  if (servers) model.servers = servers;
  const body = readRequestBody(set, operation.requestBody, child(at, 'requestBody'));
  if (body) model.requestBody = body;
  return model;
}

function readParameters(set: DocumentSet, list: unknown, owner: NodeRef): ParameterModel[] {
  if (!Array.isArray(list)) return [];
  const out: ParameterModel[] = [];
  list.forEach((value: unknown, i) => {
    const found = set.follow(value, child(owner, 'parameters', i));
    if (!found) return;
    const p = asObject(found.value);
    if (typeof p.name !== 'string' || typeof p.in !== 'string') return;
    const schemaAt = p.schema === undefined ? undefined : child(found.at, 'schema');
    const exampleValues = parameterExamples(p, schemaAt && set.follow(p.schema, schemaAt));
    const model: ParameterModel = {
      name: p.name,
      in: p.in as ParameterLocation,
      required: p.required === true || p.in === 'path',
      hasExample: p.example !== undefined || p.examples !== undefined,
      exampleValues,
      at: found.at,
    };
    if (typeof p.description === 'string') model.description = p.description;
    if (schemaAt) model.schema = schemaAt;
    out.push(model);
  });
  return out;
}

/** Values a probe could use for a parameter, in the order the doc makes them most credible. */
function parameterExamples(p: Json, schemaNode: { value: unknown } | undefined): unknown[] {
  const values: unknown[] = [];
  if (p.example !== undefined) values.push(p.example);
  for (const example of Object.values(asObject(p.examples))) {
    const value = asObject(example).value;
    if (value !== undefined) values.push(value);
  }
  const schema = asObject(schemaNode?.value);
  if (schema.example !== undefined) values.push(schema.example);
  if (Array.isArray(schema.examples)) values.push(...schema.examples);
  if (schema.default !== undefined) values.push(schema.default);
  if (Array.isArray(schema.enum)) values.push(...schema.enum);
  return values.slice(0, MAX_EXAMPLE_VALUES);
}

function readRequestBody(set: DocumentSet, value: unknown, at: NodeRef): RequestBodyModel | undefined {
  const found = set.follow(value, at);
  if (!found) return undefined;
  const body = asObject(found.value);
  return { required: body.required === true, content: readContent(set, body.content, found.at), at: found.at };
}

function readResponses(set: DocumentSet, responses: unknown, owner: NodeRef): ResponseModel[] {
  const out: ResponseModel[] = [];
  for (const [status, value] of Object.entries(asObject(responses))) {
    if (status.startsWith('x-')) continue;
    const found = set.follow(value, child(owner, 'responses', status));
    if (!found) continue;
    const response = asObject(found.value);
    const model: ResponseModel = {
      status,
      headers: readHeaders(set, response.headers, found.at),
      content: readContent(set, response.content, found.at),
      at: found.at,
    };
    if (typeof response.description === 'string') model.description = response.description;
    out.push(model);
  }
  return out;
}

function readHeaders(set: DocumentSet, headers: unknown, owner: NodeRef): HeaderModel[] {
  const out: HeaderModel[] = [];
  for (const [name, value] of Object.entries(asObject(headers))) {
    const found = set.follow(value, child(owner, 'headers', name));
    if (!found) continue;
    const header = asObject(found.value);
    const model: HeaderModel = { name, required: header.required === true };
    if (typeof header.description === 'string') model.description = header.description;
    if (header.schema !== undefined) model.schema = child(found.at, 'schema');
    out.push(model);
  }
  return out;
}

function readContent(set: DocumentSet, content: unknown, owner: NodeRef): MediaTypeModel[] {
  const out: MediaTypeModel[] = [];
  for (const [mediaType, value] of Object.entries(asObject(content))) {
    const media = asObject(value);
    const model: MediaTypeModel = { mediaType, hasExample: media.example !== undefined || media.examples !== undefined };
    if (media.schema !== undefined) {
      model.schema = child(owner, 'content', mediaType, 'schema');
      if (!model.hasExample) model.hasExample = schemaHasExample(set.follow(media.schema, model.schema));
    }
    out.push(model);
  }
  return out;
}

/** An example on the schema itself (or the schema it refers to) counts as documented. */
function schemaHasExample(node: { value: unknown } | undefined): boolean {
  const schema = asObject(node?.value);
  return schema.example !== undefined || Array.isArray(schema.examples);
}

function readSecurity(value: unknown): SecurityRequirement[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter((r): r is Json => r !== null && typeof r === 'object')
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : []])));
}

function child(at: NodeRef, ...tokens: (string | number)[]): NodeRef {
  return { uri: at.uri, pointer: at.pointer + tokens.map((t) => '/' + escapeToken(String(t))).join('') };
}

