/**
 * The in-memory model of a vendor's API document, shared by every later stage
 * (probe, drift, limits, report). Swagger 2.0 is converted to OpenAPI 3.0 before it gets here,
 * so consumers see one shape; `specVersion` still says what the vendor wrote.
 */

/** What the vendor wrote. */
export type SpecVersion = '2.0' | '3.0' | '3.1';

/** How the schemas of a document are to be read (they differ in nullable, exclusiveMinimum…). */
export type SchemaDialect = 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A place in one of the loaded documents: the document's URI and a JSON pointer into it. */
export interface NodeRef {
  uri: string;
  pointer: string;
}

export interface MediaTypeModel {
  mediaType: string;
  /** Where the schema is (after following `$ref`s to the schema object itself is NOT done: this is the schema's own position, which may hold a `$ref`). */
  schema?: NodeRef;
  hasExample: boolean;
}

export interface HeaderModel {
  name: string;
  required: boolean;
  description?: string;
  schema?: NodeRef;
}

export interface ResponseModel {
  /** "200", "4XX", "default". */
  status: string;
  description?: string;
  headers: HeaderModel[];
  content: MediaTypeModel[];
  /** Position of the response object (after following a `$ref` to components/responses). */
  at: NodeRef;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterModel {
  name: string;
  in: ParameterLocation;
  required: boolean;
  description?: string;
  schema?: NodeRef;
  hasExample: boolean;
  /** Example values written in the doc (`example`, `examples`, schema `example`/`default`/`enum`), first few. */
  exampleValues: unknown[];
  at: NodeRef;
}

export interface RequestBodyModel {
  required: boolean;
  content: MediaTypeModel[];
  at: NodeRef;
}

/** One security requirement: all of its schemes together satisfy it. */
export type SecurityRequirement = Record<string, string[]>;

export interface OperationModel {
  method: HttpMethod;
  /** Path template as written in the doc, e.g. `/customer/{id}`. */
  path: string;
  operationId?: string;
  summary?: string;
  tags: string[];
  deprecated: boolean;
  /** Path-level and operation-level parameters merged (operation wins), `$ref`s followed. */
  parameters: ParameterModel[];
  requestBody?: RequestBodyModel;
  responses: ResponseModel[];
  /** Effective security: the operation's own, else the document's; `[]` means none required. */
  security: SecurityRequirement[];
  /** Position of the operation object, e.g. `#/paths/~1customer/get`. */
  at: NodeRef;
  /** Servers that override the document's for this operation (path-item or operation `servers`). */
  servers?: ServerModel[];
  /** `x-*` keys on the operation, verbatim. */
  extensions: Record<string, unknown>;
}

export interface ServerModel {
  url: string;
  description?: string;
  /** Path part of the URL (`/v2`), used to match concrete request URLs. `''` when at the root. */
  basePath: string;
}

export interface SecuritySchemeModel {
  name: string;
  type: string;
  description?: string;
  /** apiKey: where and what. */
  in?: string;
  paramName?: string;
  /** http: basic / bearer. */
  scheme?: string;
  bearerFormat?: string;
  /** oauth2: flow name → token/authorization URL and scopes. */
  flows?: Record<string, { tokenUrl?: string; authorizationUrl?: string; refreshUrl?: string; scopes: string[] }>;
  openIdConnectUrl?: string;
}
