/**
 * The rules of normalise.ts, one per keyword: what a JSON Schema 2020-12 engine gets for each
 * keyword an OpenAPI / Swagger schema may carry. A keyword without a rule is dropped.
 */
import type { JsonSchema, JsonSchemaObject } from './normalise.js';

/** What a rule may ask of the walk over one schema. */
export interface SchemaWalk {
  /** Normalise the schema found at `tokens` below the current one. */
  child(value: unknown, ...tokens: (string | number)[]): JsonSchema;
  /** Report a keyword dropped because its value was malformed. */
  issue(keyword: string, message: string): void;
  /** Report a `format` name. */
  format(name: string): void;
  /** The engine's reference for a `$ref` written in the current schema. */
  mapRefHere(ref: string): string;
}

type KeywordRule = (value: unknown, out: JsonSchemaObject, walk: SchemaWalk, key: string) => void;

const JSON_TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);

/** Draft 4 (Swagger 2.0, OpenAPI 3.0): `exclusiveMinimum: true` qualifies `minimum`; in
 * 2020-12 `exclusiveMinimum` is the bound itself. */
export function convertDraft4Bounds(source: Record<string, unknown>, out: JsonSchemaObject): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (source[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    }
  }
}

/** `items` as one schema stays; `items` as an array (a draft 4 / Swagger tuple) becomes
 * 2020-12 `prefixItems`, and its `additionalItems` becomes `items`. */
export function convertItems(source: Record<string, unknown>, out: JsonSchemaObject, walk: SchemaWalk): void {
  const items = source.items;
  if (items === undefined) return;
  if (Array.isArray(items)) {
    if (out.prefixItems !== undefined) return; // both forms: 2020-12's own wins
    out.prefixItems = items.map((item, i) => walk.child(item, 'items', i));
    if (source.additionalItems !== undefined) out.items = walk.child(source.additionalItems, 'additionalItems');
  } else {
    out.items = walk.child(items, 'items');
  }
}

const schemaRule: KeywordRule = (value, out, walk, key) => {
  out[key] = walk.child(value, key);
};

const schemaArrayRule: KeywordRule = (value, out, walk, key) => {
  if (!Array.isArray(value)) return walk.issue(key, 'not an array of schemas; dropped');
  out[key] = value.map((item, i) => walk.child(item, key, i));
};

/** A map of name → schema. Names are set with `defineOwn`: `__proto__` is a legal name. */
function schemaMapRule(outKey?: string, keyIsRegex = false): KeywordRule {
  return (value, out, walk, key) => {
    if (!isObject(value)) return walk.issue(key, 'not an object of schemas; dropped');
    const map: JsonSchemaObject = (out[outKey ?? key] as JsonSchemaObject | undefined) ?? {};
    for (const name of Object.keys(value)) {
      if (keyIsRegex && !isRegex(name)) {
        walk.issue(key, `"${name}" is not a valid regular expression; dropped`);
        continue;
      }
      defineOwn(map, name, walk.child(value[name], key, name));
    }
    out[outKey ?? key] = map;
  };
}

/**
 * `properties`, except a property named `__proto__`: Ajv skips that name in `properties` (and
 * so would call it additional), so it is moved to `patternProperties`, where it means the same.
 */
function propertiesRule(value: unknown, out: JsonSchemaObject, walk: SchemaWalk): void {
  schemaMapRule()(value, out, walk, 'properties');
  const properties = out.properties as JsonSchemaObject | undefined;
  if (properties === undefined || !Object.prototype.hasOwnProperty.call(properties, '__proto__')) return;
  const patterns = (out.patternProperties as JsonSchemaObject | undefined) ?? {};
  const existing = patterns[PROTO_PATTERN];
  patterns[PROTO_PATTERN] = existing === undefined ? properties.__proto__ : { allOf: [existing, properties.__proto__] };
  out.patternProperties = patterns;
  delete properties.__proto__;
}
const PROTO_PATTERN = '^__proto__$';

function valueRule(valid: (value: unknown) => boolean, expected: string): KeywordRule {
  return (value, out, walk, key) => {
    if (valid(value)) out[key] = value;
    else walk.issue(key, `not ${expected}; dropped`);
  };
}

const anyValue: KeywordRule = (value, out, _walk, key) => {
  out[key] = value;
};
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const numberRule = valueRule(isNumber, 'a number');
const countRule = valueRule((v) => Number.isInteger(v) && (v as number) >= 0, 'a non-negative integer');
const booleanRule = valueRule((v) => typeof v === 'boolean', 'a boolean');
const stringRule = valueRule((v) => typeof v === 'string', 'a string');
const arrayRule = valueRule(Array.isArray, 'an array');
/** The numeric (2020-12) form; the boolean (draft 4) form is converted by convertDraft4Bounds. */
const exclusiveBoundRule: KeywordRule = (value, out, walk, key) => {
  if (typeof value !== 'boolean') numberRule(value, out, walk, key);
};
const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Everything JSON Schema 2020-12 validates or annotates that an API document may carry. */
export const KEYWORDS = new Map<string, KeywordRule>([
  // applicators (2020-12 §10)
  ['allOf', schemaArrayRule],
  ['anyOf', schemaArrayRule],
  ['oneOf', schemaArrayRule],
  ['not', schemaRule],
  ['if', schemaRule],
  ['then', schemaRule],
  ['else', schemaRule],
  ['prefixItems', schemaArrayRule],
  // `items` and `additionalItems` are converted together in convertItems.
  ['contains', schemaRule],
  ['properties', propertiesRule],
  ['patternProperties', schemaMapRule(undefined, true)],
  ['additionalProperties', schemaRule],
  ['propertyNames', schemaRule],
  ['dependentSchemas', schemaMapRule()],
  ['unevaluatedItems', schemaRule],
  ['unevaluatedProperties', schemaRule],
  ['contentSchema', schemaRule],
  // Kept for fidelity of `jsonSchema()`; the compiler maps every `$ref` to a document position,
  // so Ajv never looks anything up in them. Draft 4's `definitions` becomes `$defs`.
  ['$defs', schemaMapRule()],
  ['definitions', schemaMapRule('$defs')],
  ['$ref', (value, out, walk) => {
    if (typeof value === 'string') out.$ref = walk.mapRefHere(value);
    else walk.issue('$ref', 'not a string; dropped');
  }],
  ['dependencies', dependenciesRule],
  // validation (2020-12 validation §6)
  ['type', typeRule],
  // OpenAPI 3.0 (after JSON Schema Wright-00 §5.5.1) requires at least one value, and Ajv
  // refuses to compile `enum: []`: an empty list is a generator's slip, not "nothing is valid".
  ['enum', valueRule((v) => Array.isArray(v) && v.length > 0, 'a non-empty array')],
  ['const', anyValue],
  ['multipleOf', valueRule((v) => isNumber(v) && (v as number) > 0, 'a number above 0')],
  ['maximum', numberRule],
  ['minimum', numberRule],
  ['exclusiveMaximum', exclusiveBoundRule],
  ['exclusiveMinimum', exclusiveBoundRule],
  ['maxLength', countRule],
  ['minLength', countRule],
  ['pattern', valueRule((v) => typeof v === 'string' && isRegex(v), 'a valid regular expression')],
  ['maxItems', countRule],
  ['minItems', countRule],
  ['uniqueItems', booleanRule],
  ['maxContains', countRule],
  ['minContains', countRule],
  ['maxProperties', countRule],
  ['minProperties', countRule],
  ['required', valueRule(isStringArray, 'an array of property names')],
  ['dependentRequired', dependentRequiredRule],
  ['format', (value, out, walk) => {
    if (typeof value !== 'string') return walk.issue('format', 'not a string; dropped');
    out.format = value;
    walk.format(value);
  }],
  ['contentEncoding', stringRule],
  ['contentMediaType', stringRule],
  // annotations (2020-12 meta-data vocabulary); OpenAPI 3.0's `example` is dropped, 3.1 and
  // 2020-12 write `examples`.
  ['title', stringRule],
  ['description', stringRule],
  ['$comment', stringRule],
  ['default', anyValue],
  ['examples', arrayRule],
  ['deprecated', booleanRule],
  ['readOnly', booleanRule],
  ['writeOnly', booleanRule],
  // Deliberately absent, so dropped: `discriminator` (OpenAPI 3.0.3 §4.7.25) only tells a
  // reader which `oneOf`/`anyOf` branch to look at; the branches still validate without it.
  // Drift reads it from the document itself when it names the branch a response took.
  // Also absent: `nullable`/`x-nullable` (applied by withNull), `xml`, `externalDocs`,
  // `example`, `x-*`, and `$id`/`$schema`/`$anchor`/`$dynamicRef`/`$dynamicAnchor`: the
  // compiler gives every schema its own synthetic `$id`, and a vendor's `$id` would clash
  // with it (or with the same `$id` in another copy of the schema).
]);

/** `type` as a JSON type name or an array of them; Swagger's `file` (and any unknown name) means
 * no constraint, since recon never validates an upload's bytes against a schema. */
function typeRule(value: unknown, out: JsonSchemaObject, walk: SchemaWalk): void {
  const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (names === undefined) return walk.issue('type', 'not a type name or array of them; dropped');
  const known = names.filter((name): name is string => typeof name === 'string' && JSON_TYPES.has(name));
  const unknown = names.filter((name) => !(typeof name === 'string' && JSON_TYPES.has(name)) && name !== 'file');
  if (unknown.length > 0) walk.issue('type', `unknown type ${unknown.map((n) => JSON.stringify(n)).join(', ')}; ignored`);
  if (known.length !== names.length) {
    // Dropping a name from ['string', 'file'] would narrow it; accept any type instead.
    return;
  }
  out.type = typeof value === 'string' ? value : [...new Set(known)];
}

/** Draft 4 `dependencies`: an array value is 2020-12 `dependentRequired`, a schema value is
 * `dependentSchemas`. */
function dependenciesRule(value: unknown, out: JsonSchemaObject, walk: SchemaWalk): void {
  if (!isObject(value)) return walk.issue('dependencies', 'not an object; dropped');
  for (const name of Object.keys(value)) {
    const dependency = value[name];
    if (Array.isArray(dependency)) {
      if (!isStringArray(dependency)) {
        walk.issue('dependencies', `"${name}" is not an array of property names; dropped`);
        continue;
      }
      const map = (out.dependentRequired as JsonSchemaObject | undefined) ?? {};
      defineOwn(map, name, dependency);
      out.dependentRequired = map;
    } else {
      const map = (out.dependentSchemas as JsonSchemaObject | undefined) ?? {};
      defineOwn(map, name, walk.child(dependency, 'dependencies', name));
      out.dependentSchemas = map;
    }
  }
}

function dependentRequiredRule(value: unknown, out: JsonSchemaObject, walk: SchemaWalk): void {
  if (!isObject(value)) return walk.issue('dependentRequired', 'not an object; dropped');
  const map = (out.dependentRequired as JsonSchemaObject | undefined) ?? {};
  for (const name of Object.keys(value)) {
    if (isStringArray(value[name])) defineOwn(map, name, value[name]);
    else walk.issue('dependentRequired', `"${name}" is not an array of property names; dropped`);
  }
  out.dependentRequired = map;
}

/** As `pattern` and `patternProperties` are compiled by the engine: ECMA-262 with the `u` flag
 * (Ajv's `unicodeRegExp`). A pattern that does not compile would stop the whole schema. */
function isRegex(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Set an own, enumerable property even when the name is `__proto__` (a plain assignment
 * would change the object's prototype instead). */
function defineOwn(target: JsonSchemaObject, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[name] = value;
  }
}
