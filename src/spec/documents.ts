/**
 * The set of documents one API description is made of (the root plus every file or URL its
 * `$ref`s reach), and `$ref` resolution across them. References are kept, never inlined: a
 * document with reference cycles (Tripletex has dozens) costs no more memory than its text,
 * and every consumer follows a `$ref` only when it needs to.
 */
import { SpecLoadError } from '../errors.js';
import { getAtPointer } from './pointer.js';
import { parseDocumentText } from './parse.js';
import { displayUri, readSource, type ReadSourceOptions } from './source.js';
import type { NodeRef, SchemaDialect } from './types.js';

export interface LoadedDocument {
  uri: string;
  /** How the document is named to people: a path relative to cwd, or the URL. */
  shown: string;
  value: unknown;
  dialect: SchemaDialect;
}

/** A `$ref` that points nowhere, and where it was written. */
export interface UnresolvedRef {
  ref: string;
  from: NodeRef;
  reason: string;
}

export class DocumentSet {
  readonly root: LoadedDocument;
  readonly unresolved: UnresolvedRef[] = [];
  private readonly documents = new Map<string, LoadedDocument>();

  constructor(root: LoadedDocument) {
    this.root = root;
    this.documents.set(root.uri, root);
  }

  add(document: LoadedDocument): void {
    this.documents.set(document.uri, document);
  }

  get(uri: string): LoadedDocument | undefined {
    return this.documents.get(uri);
  }

  all(): LoadedDocument[] {
    return [...this.documents.values()];
  }

  /** Where a `$ref` written in document `baseUri` points. Does not check that the target exists. */
  target(ref: string, baseUri: string): NodeRef {
    const hash = ref.indexOf('#');
    const address = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = hash === -1 ? '' : ref.slice(hash + 1);
    const uri = address === '' ? baseUri : new URL(address, baseUri).href;
    return { uri, pointer: decodePointerFragment(pointer) };
  }

  /** The value at a node, or `undefined` when the document or the pointer does not exist. */
  valueAt(at: NodeRef): unknown {
    const document = this.documents.get(at.uri);
    if (document === undefined) return undefined;
    try {
      return getAtPointer(document.value, at.pointer);
    } catch {
      return undefined; // `#name` (a plain-name fragment) or another non-pointer: nothing recon can reach
    }
  }

  /** How a node is named in messages: `file.yaml#/components/schemas/X`. */
  describe(at: NodeRef): string {
    const document = this.documents.get(at.uri);
    return `${document?.shown ?? at.uri}#${at.pointer}`;
  }

  /**
   * Follow `$ref`s from the node at `at` until a node that is not a reference.
   * Returns `undefined` for a dangling reference or a cycle of pure references (`A → B → A`).
   */
  deref(at: NodeRef): { value: unknown; at: NodeRef } | undefined {
    let current = at;
    let value = this.valueAt(current);
    const seen = new Set<string>();
    while (isReference(value)) {
      const key = `${current.uri}#${current.pointer}`;
      if (seen.has(key)) return undefined;
      seen.add(key);
      current = this.target(value.$ref, current.uri);
      value = this.valueAt(current);
      if (value === undefined) return undefined;
    }
    return value === undefined ? undefined : { value, at: current };
  }

  /**
   * `deref` for a node whose value the caller already holds: free when it is not a reference,
   * which is most of the time (walking the pointer again from the root is not).
   */
  follow(value: unknown, at: NodeRef): { value: unknown; at: NodeRef } | undefined {
    if (value === undefined) return undefined;
    return isReference(value) ? this.deref(at) : { value, at };
  }

  dialectOf(uri: string): SchemaDialect {
    return this.documents.get(uri)?.dialect ?? this.root.dialect;
  }
}

export function isReference(value: unknown): value is { $ref: string } {
  return value !== null && typeof value === 'object' && typeof (value as { $ref?: unknown }).$ref === 'string';
}

function decodePointerFragment(fragment: string): string {
  if (!fragment.includes('%')) return fragment;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Where a node sits, as a chain of keys: cheap to make for every node, turned into a pointer only when needed. */
interface PathLink {
  parent: PathLink | undefined;
  key: string;
}

function pointerOf(link: PathLink | undefined): string {
  const tokens: string[] = [];
  for (let l = link; l !== undefined; l = l.parent) tokens.push(l.key.replace(/~/g, '~0').replace(/\//g, '~1'));
  return tokens.length === 0 ? '' : '/' + tokens.reverse().join('/');
}

/** A `$ref` as found in a document; `pointer()` is where the reference object is. */
export interface FoundRef {
  ref: string;
  pointer(): string;
}

/**
 * Every `$ref` in a document, found without recursion (documents nest deeply and may be
 * hostile). Pointers are computed only for the references someone asks about.
 */
export function findRefs(value: unknown): FoundRef[] {
  const found: FoundRef[] = [];
  const stack: [unknown, PathLink | undefined][] = [[value, undefined]];
  while (stack.length > 0) {
    const [node, link] = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        const child: unknown = node[i];
        if (child !== null && typeof child === 'object') stack.push([child, { parent: link, key: String(i) }]);
      }
      continue;
    }
    const object = node as Record<string, unknown>;
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      const child = object[key];
      if (key === '$ref' && typeof child === 'string') found.push({ ref: child, pointer: () => pointerOf(link) });
      else if (child !== null && typeof child === 'object') stack.push([child, { parent: link, key }]);
    }
  }
  return found;
}

export interface ResolveExternalOptions extends ReadSourceOptions {
  cwd: string;
  /** Stop after this many external documents (a hostile spec could point at thousands). */
  maxDocuments: number;
}

/**
 * Load every document the root's `$ref`s reach (breadth first), then record each `$ref` that
 * points nowhere in `set.unresolved`. Fetch failures of external documents are recorded too,
 * not thrown: the caller decides whether an unresolved reference is fatal.
 */
export async function resolveExternalDocuments(set: DocumentSet, options: ResolveExternalOptions): Promise<void> {
  const queue: LoadedDocument[] = [set.root];
  const refsOf = new Map<string, FoundRef[]>();
  const failed = new Map<string, string>();
  while (queue.length > 0) {
    const document = queue.shift()!;
    const refs = findRefs(document.value);
    refsOf.set(document.uri, refs);
    const wanted = new Set<string>();
    for (const { ref } of refs) {
      if (ref.startsWith('#')) continue;
      const uri = targetUri(set, ref, document.uri);
      if (uri !== undefined && !set.get(uri) && !failed.has(uri)) wanted.add(uri);
    }
    for (const uri of wanted) {
      if (set.all().length >= options.maxDocuments) {
        failed.set(uri, `more than ${options.maxDocuments} referenced documents`);
        continue;
      }
      const shown = displayUri(uri, options.cwd);
      const refused = refusedReference(document.uri, uri);
      if (refused !== undefined) {
        failed.set(uri, refused);
        continue;
      }
      try {
        const text = await readSource(uri, shown, withHeadersFor(uri, set.root.uri, options));
        const loaded: LoadedDocument = { uri, shown, value: parseDocumentText(text, shown), dialect: document.dialect };
        set.add(loaded);
        queue.push(loaded);
      } catch (error) {
        failed.set(uri, error instanceof Error ? error.message : String(error));
      }
    }
  }
  for (const [uri, refs] of refsOf) {
    for (const { ref, pointer } of refs) {
      const target = targetUri(set, ref, uri) === undefined ? undefined : set.target(ref, uri);
      const reason =
        target === undefined ? 'not a valid URI reference'
        : failed.has(target.uri) ? failed.get(target.uri)!
        : target.pointer !== '' && !target.pointer.startsWith('/') ? `the fragment #${target.pointer} is not a JSON pointer (recon follows #/… pointers)`
        : set.valueAt(target) === undefined ? `nothing at ${target.pointer || '(root)'}`
        : undefined;
      if (reason !== undefined) set.unresolved.push({ ref, from: { uri, pointer: pointer() }, reason });
    }
  }
}

/** Files a `$ref` may reach: API documents, never `/etc/passwd`, a key or a `.env`. */
const DOCUMENT_FILE = /\.(json|ya?ml)$/i;

/**
 * Why recon will not read what a `$ref` points at, or undefined. A vendor's document is input
 * from outside: a document fetched from a URL may not reach into local files, and a local one
 * may reach only other JSON/YAML files, so no `$ref` turns recon into a reader of the user's
 * secrets (whose text would then appear in inventories, types and error messages).
 */
export function refusedReference(fromUri: string, toUri: string): string | undefined {
  if (!toUri.startsWith('file:')) return undefined;
  if (!fromUri.startsWith('file:')) return 'a document fetched from a URL may not reference local files; recon did not read it';
  let path: string;
  try {
    path = decodeURIComponent(new URL(toUri).pathname);
  } catch {
    return 'not a valid file reference (broken %-escapes)';
  }
  if (!DOCUMENT_FILE.test(path)) return 'not a .json, .yaml or .yml file; recon reads only API documents a $ref points at, and did not read it';
  return undefined;
}

/** The user's --header values go only to the origin of the document they named, never to a host a $ref names. */
function withHeadersFor(uri: string, rootUri: string, options: ResolveExternalOptions): ResolveExternalOptions {
  if (options.headers === undefined || uri.startsWith('file:')) return options;
  const sameOrigin = !rootUri.startsWith('file:') && new URL(uri).origin === new URL(rootUri).origin;
  return sameOrigin ? options : { ...options, headers: undefined };
}

function targetUri(set: DocumentSet, ref: string, baseUri: string): string | undefined {
  try {
    return set.target(ref, baseUri).uri;
  } catch {
    return undefined;
  }
}

/** The error for the first unresolved reference, naming how many there are. */
export function unresolvedRefError(set: DocumentSet): SpecLoadError {
  const first = set.unresolved[0]!;
  const more = set.unresolved.length > 1 ? ` (and ${set.unresolved.length - 1} more)` : '';
  const document = set.get(first.from.uri);
  return new SpecLoadError(
    'RECON_SPEC_UNRESOLVED_REF',
    `cannot resolve $ref "${first.ref}": ${first.reason}${more}`,
    { source: document?.shown ?? first.from.uri, pointer: first.from.pointer },
    { hint: 'fix the reference, or pass --allow-unresolved to inventory the rest and list it as a gap' },
  );
}
