/**
 * Convert a Swagger 2.0 document to the OpenAPI 3.0 shape in memory, so that every later stage
 * reads one model. Schemas are carried over untouched (their dialect stays `swagger-2.0`, which
 * the schema normaliser reads); only the structure around them moves, and local `$ref`s are
 * rewritten to their new homes (`#/definitions/X` → `#/components/schemas/X`).
 *
 * Follows the mapping of the OpenAPI 3.0 spec's "Swagger 2.0 migration" notes: body and formData
 * parameters become a requestBody, `consumes`/`produces` become media-type keys, `host` +
 * `basePath` + `schemes` become servers, securityDefinitions become securitySchemes.
 */
import { isReference } from './documents.js';
import { isJsonObject as isObject } from './json.js';

type Json = Record<string, unknown>;

const DEFAULT_MEDIA_TYPES = ['application/json'];
/** Parameter keywords that describe the value: they move into `schema` in 3.0. */
const SCHEMA_KEYWORDS = [
  'type', 'format', 'items', 'collectionFormat', 'default', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'enum',
  'multipleOf', 'x-nullable',
];
const OAUTH_FLOWS: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
};

/** Converts `source` (which it takes over: its `$ref`s are rewritten in place). */
export function convertSwagger2(source: Json): Json {
  const refs = rewriteRefs(source) as Json;
  const bodyParameters = new Set<string>();
  const converted: Json = {
    openapi: '3.0.3',
    info: refs.info,
    servers: servers(refs),
    paths: {},
    components: {},
  };
  for (const key of ['tags', 'externalDocs', 'security']) if (refs[key] !== undefined) converted[key] = refs[key];
  for (const key of Object.keys(refs)) if (key.startsWith('x-')) converted[key] = refs[key];

  const components = converted.components as Json;
  const globalConsumes = mediaTypes(refs.consumes);
  const globalProduces = mediaTypes(refs.produces);
  if (isObject(refs.definitions)) components.schemas = refs.definitions;
  if (isObject(refs.parameters)) {
    const parameters: Json = {};
    const requestBodies: Json = {};
    for (const [name, parameter] of Object.entries(refs.parameters)) {
      if (isObject(parameter) && parameter.in === 'body') {
        bodyParameters.add(name);
        requestBodies[name] = bodyToRequestBody(parameter, globalConsumes);
      } else if (isObject(parameter)) {
        parameters[name] = convertParameter(parameter);
      }
    }
    components.parameters = parameters;
    if (Object.keys(requestBodies).length > 0) components.requestBodies = requestBodies;
  }
  if (isObject(refs.responses)) {
    components.responses = mapValues(refs.responses, (r) => convertResponse(r, globalProduces));
  }
  if (isObject(refs.securityDefinitions)) {
    components.securitySchemes = mapValues(refs.securityDefinitions, convertSecurityScheme);
  }

  const context = { globalConsumes, globalProduces, bodyParameters };
  const paths = converted.paths as Json;
  for (const [path, item] of Object.entries(isObject(refs.paths) ? refs.paths : {})) {
    paths[path] = isObject(item) ? convertPathItem(item, context) : item;
  }
  return converted;
}

interface Context {
  globalConsumes: string[];
  globalProduces: string[];
  bodyParameters: Set<string>;
}

function convertPathItem(item: Json, context: Context): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'parameters' && Array.isArray(value)) {
      // Path-level body parameters have no 3.0 home; they are folded into each operation below.
      out.parameters = value.filter((p) => !isBodyLike(p, context)).map(convertParameterOrRef);
    } else if (['get', 'put', 'post', 'delete', 'options', 'head', 'patch'].includes(key) && isObject(value)) {
      const shared = Array.isArray(item.parameters) ? item.parameters.filter((p) => isBodyLike(p, context)) : [];
      out[key] = convertOperation(value, shared, context);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function convertOperation(operation: Json, sharedBody: unknown[], context: Context): Json {
  const out: Json = {};
  const consumes = operation.consumes === undefined ? context.globalConsumes : mediaTypes(operation.consumes);
  const produces = operation.produces === undefined ? context.globalProduces : mediaTypes(operation.produces);
  const own = Array.isArray(operation.parameters) ? operation.parameters : [];
  const bodyLike = [...sharedBody, ...own.filter((p) => isBodyLike(p, context))];
  for (const [key, value] of Object.entries(operation)) {
    if (key === 'consumes' || key === 'produces' || key === 'schemes') continue;
    if (key === 'parameters') {
      out.parameters = own.filter((p) => !isBodyLike(p, context)).map(convertParameterOrRef);
    } else if (key === 'responses' && isObject(value)) {
      out.responses = mapValues(value, (r) => convertResponse(r, produces));
    } else {
      out[key] = value;
    }
  }
  const requestBody = requestBodyFrom(bodyLike, consumes);
  if (requestBody) out.requestBody = requestBody;
  return out;
}

function isBodyLike(parameter: unknown, context: Context): boolean {
  if (isReference(parameter)) {
    const name = /^#\/components\/parameters\/(.+)$/.exec(parameter.$ref)?.[1];
    return name !== undefined && context.bodyParameters.has(decodeToken(name));
  }
  return isObject(parameter) && (parameter.in === 'body' || parameter.in === 'formData');
}

function requestBodyFrom(parameters: unknown[], consumes: string[]): Json | undefined {
  if (parameters.length === 0) return undefined;
  const reference = parameters.find(isReference);
  if (reference) return { $ref: reference.$ref.replace('#/components/parameters/', '#/components/requestBodies/') };
  const body = parameters.find((p) => isObject(p) && p.in === 'body') as Json | undefined;
  if (body) return bodyToRequestBody(body, consumes);
  const form = parameters.filter(isObject);
  const hasFile = form.some((p) => p.type === 'file');
  const formTypes = consumes.filter((t) => /form-data|x-www-form-urlencoded/.test(t));
  const types = formTypes.length > 0 ? formTypes : [hasFile ? 'multipart/form-data' : 'application/x-www-form-urlencoded'];
  const schema: Json = { type: 'object', properties: {} };
  const required: string[] = [];
  for (const p of form) {
    const name = String(p.name);
    (schema.properties as Json)[name] = Object.assign(parameterSchema(p), p.description ? { description: p.description } : {});
    if (p.required === true) required.push(name);
  }
  if (required.length > 0) schema.required = required;
  return { required: required.length > 0, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
}

function bodyToRequestBody(body: Json, consumes: string[]): Json {
  const out: Json = { content: Object.fromEntries(consumes.map((t) => [t, { schema: body.schema ?? {} }])) };
  if (body.description !== undefined) out.description = body.description;
  if (body.required === true) out.required = true;
  if (body['x-examples'] !== undefined) out['x-examples'] = body['x-examples'];
  return out;
}

function convertParameterOrRef(parameter: unknown): unknown {
  return isObject(parameter) && !isReference(parameter) ? convertParameter(parameter) : parameter;
}

function convertParameter(parameter: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(parameter)) {
    if (!SCHEMA_KEYWORDS.includes(key) && key !== 'allowEmptyValue') out[key] = value;
  }
  if (parameter.allowEmptyValue !== undefined) out.allowEmptyValue = parameter.allowEmptyValue;
  out.schema = parameterSchema(parameter);
  const style = collectionStyle(parameter.collectionFormat);
  if (style) Object.assign(out, style);
  return out;
}

/** Swagger 2.0 keeps a parameter's type beside its name; 3.0 wants it in `schema`. */
function parameterSchema(parameter: Json): Json {
  const schema: Json = {};
  for (const key of SCHEMA_KEYWORDS) {
    if (key === 'collectionFormat' || parameter[key] === undefined) continue;
    schema[key] = key === 'items' && isObject(parameter.items) ? parameterSchema(parameter.items) : parameter[key];
  }
  if (schema.type === 'file') {
    schema.type = 'string';
    schema.format = 'binary';
  }
  return schema;
}

/** OpenAPI 3.0 §4.7.12.4 style values for Swagger's collectionFormat. */
function collectionStyle(format: unknown): Json | undefined {
  switch (format) {
    case 'multi': return { style: 'form', explode: true };
    case 'csv': return { style: 'form', explode: false };
    case 'ssv': return { style: 'spaceDelimited', explode: false };
    case 'pipes': return { style: 'pipeDelimited', explode: false };
    default: return undefined;
  }
}

function convertResponse(response: unknown, produces: string[]): unknown {
  if (!isObject(response) || isReference(response)) return response;
  const out: Json = { description: response.description ?? '' };
  const examples = isObject(response.examples) ? response.examples : {};
  if (response.schema !== undefined) {
    const types = produces.length > 0 ? produces : DEFAULT_MEDIA_TYPES;
    out.content = Object.fromEntries(
      types.map((t) => [t, examples[t] === undefined ? { schema: response.schema } : { schema: response.schema, example: examples[t] }]),
    );
  }
  if (isObject(response.headers)) {
    out.headers = mapValues(response.headers, (header) => {
      if (!isObject(header)) return header;
      const converted: Json = { schema: parameterSchema(header) };
      if (header.description !== undefined) converted.description = header.description;
      return converted;
    });
  }
  for (const key of Object.keys(response)) if (key.startsWith('x-')) out[key] = response[key];
  return out;
}

function convertSecurityScheme(scheme: unknown): unknown {
  if (!isObject(scheme)) return scheme;
  const description = scheme.description === undefined ? {} : { description: scheme.description };
  if (scheme.type === 'basic') return { type: 'http', scheme: 'basic', ...description };
  if (scheme.type === 'apiKey') return { type: 'apiKey', name: scheme.name, in: scheme.in, ...description };
  if (scheme.type === 'oauth2') {
    const flow: Json = { scopes: isObject(scheme.scopes) ? scheme.scopes : {} };
    if (scheme.authorizationUrl !== undefined) flow.authorizationUrl = scheme.authorizationUrl;
    if (scheme.tokenUrl !== undefined) flow.tokenUrl = scheme.tokenUrl;
    const name = OAUTH_FLOWS[String(scheme.flow)] ?? String(scheme.flow);
    return { type: 'oauth2', flows: { [name]: flow }, ...description };
  }
  return scheme;
}

function servers(source: Json): Json[] {
  const basePath = typeof source.basePath === 'string' ? source.basePath.replace(/\/$/, '') : '';
  if (typeof source.host !== 'string' || source.host === '') return [{ url: basePath === '' ? '/' : basePath }];
  const schemes = Array.isArray(source.schemes) && source.schemes.length > 0 ? source.schemes : ['https'];
  return schemes.map((scheme) => ({ url: `${String(scheme)}://${source.host}${basePath}` }));
}

function mediaTypes(value: unknown): string[] {
  return Array.isArray(value) && value.length > 0 ? value.map(String) : DEFAULT_MEDIA_TYPES;
}

/**
 * Rewrite local refs to their 3.0 homes, in place and without recursion. The document was
 * parsed from text by recon and belongs to no one else, so mutating it saves a full copy.
 */
function rewriteRefs(value: unknown): unknown {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const child of node) if (child !== null && typeof child === 'object') stack.push(child);
      continue;
    }
    const object = node as Json;
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      const child = object[key];
      if (key === '$ref' && typeof child === 'string') object.$ref = rewriteRef(child);
      else if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return value;
}

/** Assign without tripping over a `__proto__` key from the document. */
function defineOwn(target: Json | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function rewriteRef(ref: string): string {
  if (ref.startsWith('#/definitions/')) return '#/components/schemas/' + ref.slice('#/definitions/'.length);
  if (ref.startsWith('#/parameters/')) return '#/components/parameters/' + ref.slice('#/parameters/'.length);
  if (ref.startsWith('#/responses/')) return '#/components/responses/' + ref.slice('#/responses/'.length);
  return ref;
}

function decodeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}


function mapValues(object: Json, map: (value: unknown) => unknown): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) defineOwn(out, key, map(value));
  return out;
}
