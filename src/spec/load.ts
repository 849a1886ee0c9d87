/**
 * `loadSpec(location)`: read a vendor's OpenAPI 3.0/3.1 or Swagger 2.0 document (file or URL,
 * JSON or YAML), load what its `$ref`s reach, convert Swagger 2.0, and index the operations.
 */
import { createHash } from 'node:crypto';
import { asObject } from './json.js';
import { SpecLoadError } from '../errors.js';
import {
  DocumentSet,
  resolveExternalDocuments,
  unresolvedRefError,
  type LoadedDocument,
} from './documents.js';
import { readOperations } from './operations.js';
import { detectFormat, parseDocumentText } from './parse.js';
import { displayUri, readSource, toDocumentUri } from './source.js';
import { convertSwagger2 } from './swagger2.js';
import { readServers } from './servers.js';
import type { SchemaDialect, SecuritySchemeModel, SpecVersion } from './types.js';
import { ApiSpec } from './api-spec.js';
import { LOAD_SPEC_DEFAULTS } from './defaults.js';
import { applyOverlay, type LoadedOverlay, type OverlayApplication } from './overlay/index.js';

export { LOAD_SPEC_DEFAULTS };

export interface LoadSpecOptions {
  /** Directory relative paths are resolved against. Default: process.cwd(). */
  cwd?: string;
  /** Refuse documents larger than this. Default: 32 MiB. */
  maxBytes?: number;
  /** Timeout for each URL fetched (the document or a remote `$ref`). Default: 30 s. */
  timeoutMs?: number;
  /** Headers sent when fetching URLs. */
  headers?: Record<string, string>;
  /** Keep going when a `$ref` cannot be resolved (it is then listed as a gap). Default: false. */
  allowUnresolved?: boolean;
  /** How many documents `$ref`s may pull in. Default: 200. */
  maxDocuments?: number;
  /** Overlay 1.0 documents applied, in order, to the root document as written (before a
   * Swagger 2.0 document is converted), so they target the vendor's own structure. */
  overlays?: LoadedOverlay[];
}


/**
 * @example
 * const spec = await loadSpec('specs/acme-erp.openapi.yaml');
 * spec.operations.length;                      // 14
 * spec.matchOperation('GET', '/api/v1/customers/7');
 */
export async function loadSpec(location: string, options: LoadSpecOptions = {}): Promise<ApiSpec> {
  const cwd = options.cwd ?? process.cwd();
  const settings = { ...LOAD_SPEC_DEFAULTS, ...stripUndefined(options), cwd };
  if (location.trim() === '') {
    throw new SpecLoadError('RECON_SPEC_NOT_FOUND', 'no document named', { source: '(empty)' }, { hint: 'pass a file path or an http(s) URL' });
  }
  let uri: string;
  try {
    uri = toDocumentUri(location, cwd);
  } catch (error) {
    throw new SpecLoadError('RECON_SPEC_NOT_FOUND', 'is neither a file path nor a valid URL', { source: location }, { cause: error });
  }
  const shown = uri.startsWith('file:') ? displayUri(uri, cwd) : location;
  const text = await readSource(uri, shown, settings);
  const raw = parseDocumentText(text, shown);
  const overlays: OverlayApplication[] = (options.overlays ?? []).map((overlay) => applyOverlay(raw, overlay));
  const { version, declared, value, dialect } = recognise(raw, shown);

  const root: LoadedDocument = { uri, shown, value, dialect };
  const documents = new DocumentSet(root);
  await resolveExternalDocuments(documents, settings);
  if (documents.unresolved.length > 0 && !settings.allowUnresolved) throw unresolvedRefError(documents);

  const document = value as Record<string, unknown>;
  const info = asObject(document.info);
  return new ApiSpec({
    source: {
      location,
      uri,
      shown,
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
      format: detectFormat(text, shown),
      ...(overlays.length > 0 ? { overlays } : {}),
    },
    specVersion: version,
    declaredVersion: declared,
    info: {
      title: typeof info.title === 'string' ? info.title : '(untitled)',
      version: typeof info.version === 'string' || typeof info.version === 'number' ? String(info.version) : '',
      ...(typeof info.description === 'string' ? { description: info.description } : {}),
    },
    documents,
    servers: readServers(document.servers) ?? [{ url: '/', basePath: '' }],
    operations: readOperations(documents),
    securitySchemes: readSecuritySchemes(asObject(asObject(document.components).securitySchemes)),
  });
}

interface Recognised {
  version: SpecVersion;
  declared: string;
  value: unknown;
  dialect: SchemaDialect;
}

function recognise(raw: unknown, shown: string): Recognised {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecLoadError('RECON_SPEC_UNRECOGNISED', `is not an API document (the top level is ${describeType(raw)}, not an object)`, { source: shown });
  }
  const document = raw as Record<string, unknown>;
  const hint = 'recon reads OpenAPI 3.0/3.1 and Swagger 2.0 documents';
  if (document.swagger !== undefined) {
    const declared = String(document.swagger);
    if (declared !== '2.0') {
      throw new SpecLoadError('RECON_SPEC_UNSUPPORTED_VERSION', `declares swagger "${declared}"; only 2.0 is supported`, { source: shown, pointer: '/swagger' }, { hint });
    }
    requirePaths(document, shown);
    return { version: '2.0', declared, value: convertSwagger2(document), dialect: 'swagger-2.0' };
  }
  if (document.openapi !== undefined) {
    const declared = String(document.openapi);
    const match = /^3\.([01])(\.\d+)?(-.*)?$/.exec(declared);
    if (!match) {
      throw new SpecLoadError('RECON_SPEC_UNSUPPORTED_VERSION', `declares openapi "${declared}"; recon reads 3.0.x and 3.1.x`, { source: shown, pointer: '/openapi' }, { hint });
    }
    const version = match[1] === '1' ? '3.1' : '3.0';
    if (version === '3.0') requirePaths(document, shown);
    return { version, declared, value: document, dialect: version === '3.1' ? 'openapi-3.1' : 'openapi-3.0' };
  }
  throw new SpecLoadError('RECON_SPEC_UNRECOGNISED', 'is neither OpenAPI nor Swagger (no "openapi" or "swagger" field at the top)', { source: shown }, { hint });
}

function requirePaths(document: Record<string, unknown>, shown: string): void {
  const paths = document.paths;
  if (paths === null || typeof paths !== 'object' || Array.isArray(paths)) {
    throw new SpecLoadError('RECON_SPEC_INVALID', `"paths" must be an object, found ${describeType(paths)}`, { source: shown, pointer: '/paths' });
  }
}

function readSecuritySchemes(schemes: Record<string, unknown>): SecuritySchemeModel[] {
  return Object.entries(schemes).map(([name, value]) => {
    const s = asObject(value);
    const model: SecuritySchemeModel = { name, type: typeof s.type === 'string' ? s.type : 'unknown' };
    if (typeof s.description === 'string') model.description = s.description;
    if (typeof s.in === 'string') model.in = s.in;
    if (typeof s.name === 'string') model.paramName = s.name;
    if (typeof s.scheme === 'string') model.scheme = s.scheme.toLowerCase();
    if (typeof s.bearerFormat === 'string') model.bearerFormat = s.bearerFormat;
    if (typeof s.openIdConnectUrl === 'string') model.openIdConnectUrl = s.openIdConnectUrl;
    if (s.flows !== undefined) {
      model.flows = Object.fromEntries(
        Object.entries(asObject(s.flows)).map(([flow, f]) => {
          const o = asObject(f);
          const out: { tokenUrl?: string; authorizationUrl?: string; refreshUrl?: string; scopes: string[] } = { scopes: Object.keys(asObject(o.scopes)) };
          if (typeof o.tokenUrl === 'string') out.tokenUrl = o.tokenUrl;
          if (typeof o.authorizationUrl === 'string') out.authorizationUrl = o.authorizationUrl;
          if (typeof o.refreshUrl === 'string') out.refreshUrl = o.refreshUrl;
          return [flow, out];
        }),
      );
    }
    return model;
  });
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'missing';
  return `a ${typeof value}`;
}


function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
