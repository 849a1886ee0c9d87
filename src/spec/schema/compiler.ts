/**
 * Validators for the schemas of a loaded API description, compiled on first use.
 *
 * Each schema node reached is normalised once (normalise.ts) and added to one Ajv instance once,
 * under a synthetic `$id` (`recon:schema:<n>`); its `$ref`s are rewritten to the synthetic ids
 * of their targets. Asking for a validator registers and compiles only the `$ref` closure of
 * that node, so checking one response of a 1,600-schema document costs that response's
 * schemas. Each schema compiles to one function that calls its targets' functions, so reference
 * cycles (Employee → Department → Employee) are plain recursion at validation time.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { SpecLoadError } from '../../errors.js';
import { isReference, type DocumentSet, type UnresolvedRef } from '../documents.js';
import type { NodeRef } from '../types.js';
import { createAjv, type Ajv } from './engine.js';
import { normaliseSchema, type JsonSchema, type JsonSchemaObject, type NormaliseIssue } from './normalise.js';

export interface SchemaCompilerOptions {
  /** An unknown `format` is an error (default: accepted as any value, and listed in `unknownFormats`). */
  strictFormats?: boolean;
}

/** A schema that accepts anything, standing in for a `$ref` that points nowhere. */
const ANY_ID = 'recon:schema:any';
const ID_PREFIX = 'recon:schema:';
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

export class SchemaCompiler {
  /** `schemasAdded`: schema nodes normalised and added to Ajv; `compiled`: validators made. */
  readonly stats = { schemasAdded: 0, compiled: 0 };
  /** `$ref`s met while compiling that point nowhere; each validates as "anything". */
  readonly unresolved: UnresolvedRef[] = [];
  /** Formats named by compiled schemas that the engine does not know; they accept any value. */
  readonly unknownFormats = new Set<string>();
  /** Keywords dropped because their value was malformed, with where they were. */
  readonly issues: (NormaliseIssue & { source: string })[] = [];

  private readonly ajv: Ajv = createAjv('2020-12');
  private readonly strictFormats: boolean;
  /** `uri#pointer` → synthetic id. */
  private readonly ids = new Map<string, string>();
  /** Synthetic id → the node it stands for, its normalised schema, and the ids it references. */
  private readonly registered = new Map<string, { at: NodeRef; schema: JsonSchemaObject; refs: string[] }>();
  private readonly validators = new Map<string, ValidateFunction>();
  private pending: { id: string; at: NodeRef }[] = [];
  /** Keys given an id by the registration in progress (forgotten again if it fails). */
  private allocated: string[] = [];
  private nextId = 0;

  constructor(
    private readonly set: DocumentSet,
    options: SchemaCompilerOptions = {},
  ) {
    this.strictFormats = options.strictFormats ?? false;
    this.ajv.addSchema({ $id: ANY_ID });
  }

  /**
   * The validator for the schema at `at` (a schema object or a `$ref` to one).
   * @example compiler.validator({ uri, pointer: '/components/schemas/Employee' })(body)
   */
  validator(at: NodeRef): ValidateFunction {
    at = this.throughBareRefs(at);
    const key = keyOf(at);
    let validate = this.validators.get(key);
    if (validate === undefined) {
      const id = this.register(at);
      validate = this.ajv.getSchema(id) as ValidateFunction;
      this.validators.set(key, validate);
      this.stats.compiled++;
    }
    return validate;
  }

  /**
   * The normalised schema at `at` as one self-contained JSON Schema 2020-12 document: every
   * schema it reaches is embedded in `$defs` (keyed by where it is in the API document) under
   * its synthetic `$id`, which its `$ref`s name (2020-12 §9.3.1, bundling).
   */
  jsonSchema(at: NodeRef): object {
    const root = this.register(at);
    const $defs: JsonSchemaObject = {};
    const seen = new Set([root]);
    const queue = [root];
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const entry = this.registered.get(id);
      if (entry === undefined) continue; // ANY_ID
      $defs[this.set.describe(entry.at)] = entry.schema;
      for (const ref of entry.refs) {
        if (!seen.has(ref)) {
          seen.add(ref);
          queue.push(ref);
        }
      }
    }
    if (seen.has(ANY_ID)) $defs['(unresolved)'] = { $id: ANY_ID };
    // A copy: the originals are the ones Ajv compiled from.
    return structuredClone({ $schema: DRAFT_2020_12, $ref: root, $defs });
  }

  /**
   * A schema that is nothing but `{ $ref }` (most response and request schemas) validates as
   * its target does: use the target's validator instead of compiling a wrapper for each place
   * that refers to it (on Tripletex, 600 of 1,400 compiles). Cycles of bare refs stop where
   * they close, and are then compiled (and reported) as usual.
   */
  private throughBareRefs(at: NodeRef): NodeRef {
    const seen = new Set<string>();
    let current = at;
    for (;;) {
      const value = this.set.valueAt(current);
      if (!isReference(value) || Object.keys(value).length !== 1 || seen.has(keyOf(current))) return current;
      seen.add(keyOf(current));
      let target: NodeRef;
      try {
        target = this.set.target(value.$ref, current.uri);
      } catch {
        return current;
      }
      if (this.set.valueAt(target) === undefined) return current;
      current = target;
    }
  }

  /** The document position a synthetic id stands for (to explain an Ajv error's schema). */
  nodeOf(id: string): NodeRef | undefined {
    return this.registered.get(id)?.at;
  }

  /**
   * Give `at` and every schema its `$ref`s reach an id, add each new one to Ajv, and compile
   * the new ones. Returns the id of `at`.
   */
  private register(at: NodeRef): string {
    if (this.set.valueAt(at) === undefined) {
      throw new Error(`no schema at ${this.set.describe(at)}`);
    }
    this.allocated = [];
    const root = this.idOf(at);
    const added: string[] = [];
    try {
      for (let next = this.pending.pop(); next !== undefined; next = this.pending.pop()) {
        const { id, at: node } = next;
        const refs: string[] = [];
        const schema = this.normaliseNode(node, refs);
        schema.$id = id;
        this.ajv.addSchema(schema);
        this.registered.set(id, { at: node, schema, refs });
        this.stats.schemasAdded++;
        added.push(id);
      }
    } catch (error) {
      // Forget the ids of this closure that never reached Ajv, so a later call starts clean.
      this.pending = [];
      for (const key of this.allocated) {
        const id = this.ids.get(key);
        if (id !== undefined && !this.registered.has(id)) this.ids.delete(key);
      }
      throw error;
    }
    this.compile(added);
    return root;
  }

  /**
   * Compile each of `ids` on its own, as if all the others were being compiled already. Ajv
   * then links a `$ref` to its target's SchemaEnv (`wrapper.validate`, looked up when
   * validating) instead of compiling the target inside the referrer's compile, which recurses
   * once per reference and overflows Node's stack after ~250 (a chain of 300 schemas, or one
   * long cycle). `_compilations` is Ajv's own set of schemas being compiled (public in its
   * typings); this only fills it sooner.
   */
  private compile(ids: string[]): void {
    const compiling = this.ajv._compilations;
    const envs = ids.flatMap((id) => {
      const env = this.ajv.schemas[id];
      return env === undefined ? [] : [{ id, env }];
    });
    for (const { env } of envs) compiling.add(env);
    try {
      for (const { id, env } of envs) {
        compiling.delete(env);
        this.ajv.getSchema(id);
      }
    } finally {
      for (const { env } of envs) compiling.delete(env);
    }
  }

  private idOf(at: NodeRef): string {
    const key = keyOf(at);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = `${ID_PREFIX}${this.nextId++}`;
      this.ids.set(key, id);
      this.allocated.push(key);
      this.pending.push({ id, at });
    }
    return id;
  }

  private normaliseNode(at: NodeRef, refs: string[]): JsonSchemaObject {
    const value = this.set.valueAt(at);
    const source = this.set.get(at.uri)?.shown ?? at.uri;
    if (isReference(value) && this.inReferenceCycle(at)) {
      this.unresolved.push({ ref: value.$ref, from: at, reason: 'a cycle of references with no schema in it' });
      return { $ref: ANY_ID };
    }
    const schema = normaliseSchema(
      value,
      this.set.dialectOf(at.uri),
      (ref, pointer) => {
        const id = this.targetId(ref, { uri: at.uri, pointer });
        refs.push(id);
        return id;
      },
      {
        source,
        pointer: at.pointer,
        onIssue: (issue) => this.issues.push({ ...issue, source }),
        onFormat: (format, pointer) => this.checkFormat(format, { source, pointer }),
      },
    );
    return asObject(schema);
  }

  /** The id a `$ref` written at `from` stands for; `ANY_ID` when it points nowhere. */
  private targetId(ref: string, from: NodeRef): string {
    let target: NodeRef;
    try {
      target = this.set.target(ref, from.uri);
    } catch {
      this.unresolved.push({ ref, from, reason: 'not a valid URI reference' });
      return ANY_ID;
    }
    const known = this.ids.get(keyOf(target));
    if (known !== undefined) return known;
    if (target.pointer !== '' && !target.pointer.startsWith('/')) {
      // `#name` (a `$anchor`) is not a JSON pointer; recon resolves pointers only.
      this.unresolved.push({ ref, from, reason: 'anchor references are not supported' });
      return ANY_ID;
    }
    if (this.set.valueAt(target) === undefined) {
      this.unresolved.push({ ref, from, reason: `nothing at ${this.set.describe(target)}` });
      return ANY_ID;
    }
    return this.idOf(target);
  }

  /** `A: {$ref: B}`, `B: {$ref: A}`: Ajv would compile it and recurse forever on any value. */
  private inReferenceCycle(at: NodeRef): boolean {
    const seen = new Set<string>();
    for (let current = at; !seen.has(keyOf(current)); ) {
      seen.add(keyOf(current));
      const value = this.set.valueAt(current);
      if (!isReference(value)) return false;
      try {
        current = this.set.target(value.$ref, current.uri);
        if (this.set.valueAt(current) === undefined) return false;
      } catch {
        return false; // dangling or not a pointer: reported where the `$ref` is mapped
      }
    }
    return true;
  }

  private checkFormat(format: string, where: { source: string; pointer: string }): void {
    if (this.ajv.formats[format] !== undefined) return;
    if (this.strictFormats) {
      throw new SpecLoadError('RECON_SPEC_INVALID', `unknown format "${format}"`, where, {
        hint: 'without strictFormats, a format recon does not know accepts any value and is listed as unknown',
      });
    }
    this.unknownFormats.add(format);
    this.ajv.addFormat(format, true);
  }
}

function keyOf(at: NodeRef): string {
  return `${at.uri}#${at.pointer}`;
}

/** Ajv registers objects only: `true` is `{}`, `false` is `{ not: {} }`. */
function asObject(schema: JsonSchema): JsonSchemaObject {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  return schema;
}
