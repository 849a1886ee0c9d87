/**
 * A loaded API description: its documents, operations, servers and security schemes, with an
 * operation index and a schema compiler built on first use.
 */
import type { ValidateFunction } from 'ajv';
import type { DocumentSet } from './documents.js';
import { OperationIndex, type PathMatch } from './operation-index.js';
import type { DocumentFormat } from './parse.js';
import type { OverlayApplication } from './overlay/index.js';
import { SchemaCompiler } from './schema/index.js';
import type { NodeRef, OperationModel, SecuritySchemeModel, ServerModel, SpecVersion } from './types.js';

export interface SpecSource {
  /** As the user gave it. */
  location: string;
  uri: string;
  /** As shown in messages: relative path or URL. */
  shown: string;
  bytes: number;
  /** Of the root document's text: the integration spec pins the document it was reviewed against. */
  sha256: string;
  format: DocumentFormat;
  /** Overlays applied on load, in order, with what each matched. */
  overlays?: OverlayApplication[];
}

export interface SpecInfo {
  title: string;
  version: string;
  description?: string;
}

export interface ApiSpecInit {
  source: SpecSource;
  specVersion: SpecVersion;
  declaredVersion: string;
  info: SpecInfo;
  documents: DocumentSet;
  servers: ServerModel[];
  operations: OperationModel[];
  securitySchemes: SecuritySchemeModel[];
}

export class ApiSpec {
  readonly source: SpecSource;
  readonly specVersion: SpecVersion;
  readonly declaredVersion: string;
  readonly info: SpecInfo;
  readonly documents: DocumentSet;
  readonly servers: ServerModel[];
  readonly operations: OperationModel[];
  readonly securitySchemes: SecuritySchemeModel[];
  private index: OperationIndex<OperationModel> | undefined;
  private compiler: SchemaCompiler | undefined;

  constructor(init: ApiSpecInit) {
    this.source = init.source;
    this.specVersion = init.specVersion;
    this.declaredVersion = init.declaredVersion;
    this.info = init.info;
    this.documents = init.documents;
    this.servers = init.servers;
    this.operations = init.operations;
    this.securitySchemes = init.securitySchemes;
  }

  /** The root document, in OpenAPI 3.x shape (Swagger 2.0 converted). */
  get document(): Record<string, unknown> {
    return this.documents.root.value as Record<string, unknown>;
  }

  /**
   * Which documented operation a concrete request is.
   * @example spec.matchOperation('GET', 'https://tripletex.no/v2/customer/5?fields=*')
   */
  matchOperation(method: string, url: string): PathMatch<OperationModel> {
    this.index ??= new OperationIndex(this.operations, this.servers);
    return this.index.match(method, url);
  }

  /** A compiled validator for the schema at `at` (lazily compiled, cached). */
  validator(at: NodeRef): ValidateFunction {
    return this.schemas.validator(at);
  }

  get schemas(): SchemaCompiler {
    this.compiler ??= new SchemaCompiler(this.documents);
    return this.compiler;
  }
}
