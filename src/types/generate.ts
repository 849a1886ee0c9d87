/**
 * `generateTypes`: TypeScript types for the vendor's API as recon loads it — Swagger 2.0
 * converted to OpenAPI 3.0, overlays applied — written by openapi-typescript.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { ApiSpec, LoadSpecOptions } from '../spec/index.js';
import { RECON_VERSION } from '../version.js';
import { TypesError } from './errors.js';
import { regenerateCommand, typesHeader } from './header.js';
import { prepareDocument } from './prepare.js';

export interface GenerateTypesOptions {
  /** The vendor's OpenAPI 3.x / Swagger 2.0 document: a file path or an http(s) URL. */
  spec: string;
  /** Overlay 1.0 files applied to the document, in order, before the types are generated. */
  overlays?: string[];
  /** Directory relative paths are resolved against. Default: process.cwd(). */
  cwd?: string;
  /** Loader settings (size limit, timeouts, headers). */
  load?: Omit<LoadSpecOptions, 'cwd' | 'overlays'>;
  /** The command written in the header to regenerate the file. Default: `recon types --spec … > FILE`. */
  command?: string;
}

export interface GeneratedTypes {
  /** The .ts file: header comment, then openapi-typescript's `paths`, `components`, `operations`. */
  code: string;
  /** The overlays applied, as given. */
  overlays: string[];
  /** How many operations the document describes. */
  operations: number;
  /** What was adjusted so the generator accepts the document, and why; one line each. */
  notes: string[];
}

/**
 * @example
 * const { code } = await generateTypes({ spec: 'specs/acme-erp.openapi.yaml', overlays: ['review/overlay.yaml'] });
 * await writeFile('src/acme.ts', code);
 * // import type { components } from './acme.js';
 * // type Customer = components['schemas']['Customer'];
 */
export async function generateTypes(options: GenerateTypesOptions): Promise<GeneratedTypes> {
  const cwd = options.cwd ?? process.cwd();
  const overlayFiles = options.overlays ?? [];
  const [{ loadSpec, readOverlay }, { default: openapiTS, astToString }] = await Promise.all([import('../spec/index.js'), import('openapi-typescript')]);
  const overlays = await Promise.all(overlayFiles.map((file) => readOverlay(resolve(cwd, file)).then((o) => ({ ...o, source: file }))));
  const spec = await loadSpec(options.spec, { ...options.load, cwd, overlays });
  const base = generatorBase(spec, cwd);
  const { document, notes: prepared } = prepareDocument(spec.document);
  const notes = [...unmatchedActions(spec), ...prepared];
  let code: string;
  try {
    // openapi-typescript reads `$ref`s to other files itself, relative to `cwd`, which it takes
    // as the document's own address when given an object (lib/redoc.ts validateAndBundle).
    const nodes = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], { cwd: base, silent: true });
    code = astToString(nodes);
  } catch (error) {
    throw new TypesError('RECON_TYPES_GENERATION', `${spec.source.shown}: openapi-typescript could not generate types: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: 'correct the document with an overlay (--overlay FILE), or check it with `recon spec`',
    });
  }
  const header = typesHeader({
    title: spec.info.title,
    version: spec.info.version,
    document: spec.source.shown,
    sha256: spec.source.sha256,
    overlays: overlayFiles,
    reconVersion: RECON_VERSION,
    command: options.command ?? regenerateCommand(options.spec, overlayFiles, undefined),
  });
  return { code: header + code, overlays: overlayFiles, operations: spec.operations.length, notes };
}

/**
 * The address `$ref`s to other files are resolved against. openapi-typescript re-reads those
 * files from disk, so a document of several files is supported when it is a local OpenAPI 3.x
 * one; recon's Swagger 2.0 conversion covers the root document only.
 */
function generatorBase(spec: ApiSpec, cwd: string): URL {
  const documents = spec.documents.all();
  if (documents.length > 1) {
    const others = documents.filter((d) => d !== spec.documents.root).map((d) => d.shown);
    const why = spec.specVersion === '2.0' ? 'a Swagger 2.0 document' : !spec.source.uri.startsWith('file:') ? 'a document fetched from a URL' : undefined;
    if (why !== undefined) {
      throw new TypesError('RECON_TYPES_MULTI_DOCUMENT', `${spec.source.shown}: ${why} whose $refs reach other documents (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}) is not supported by recon types`, {
        hint: 'bundle it into one file first (e.g. `npx @redocly/cli bundle`), then pass that file with --spec',
      });
    }
  }
  return spec.source.uri.startsWith('file:') ? new URL(spec.source.uri) : pathToFileURL(cwd + '/');
}

/** Overlay actions that selected nothing: the types then lack a correction the user expects. */
function unmatchedActions(spec: ApiSpec): string[] {
  return (spec.source.overlays ?? []).flatMap((applied) =>
    applied.unmatched.map((u) => `${applied.source}: action ${u.index} matched nothing (${u.target}); its correction is not in the types`),
  );
}
