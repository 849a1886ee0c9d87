/**
 * recon's JSON Schema engine: one Ajv configuration, used by the schema compiler and measured by
 * the JSON Schema Test Suite (test/json-schema-suite.test.ts), so the suite's pass counts are
 * those of the engine that validates vendor responses.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type * as AjvCore from 'ajv/dist/core.js';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

export type Ajv = AjvCore.default;
export type EngineDialect = 'draft4' | '2020-12';

/**
 * Every option is written out here, with why.
 *
 * - `allErrors`: drift reports every way a response differs, not the first.
 * - `strict: false`: Ajv's strict mode refuses schemas that are valid JSON Schema but loose,
 *   which vendor documents are full of: `properties` without `type: object` beside it (the
 *   usual `allOf` branch), `required` naming a property defined in another branch, a
 *   `prefixItems` tuple without `minItems`. The normaliser already drops unknown keywords and
 *   malformed values, so strict mode would only refuse good schemas.
 * - `validateSchema: false`: a schema that breaks a meta-schema rule Ajv does not need in order
 *   to compile it (a name twice in `required`) must still be checked against; the normaliser
 *   guarantees the shape of every keyword it keeps. (Speed is not the reason: meta-schema
 *   validation cost nothing measurable on Tripletex.)
 * - `ownProperties: true`: `required: ['constructor']` must not be satisfied by
 *   `Object.prototype.constructor`; JSON the vendor sent has only own properties.
 * - `inlineRefs: false`: every `$ref` becomes a call to the target's one compiled function, so
 *   a schema referenced from 500 places is generated once. Inlining small targets (the
 *   default) made compiling every Tripletex schema ~15% slower.
 * - `code.optimize: false`: Ajv's optimiser passes took about a third of the compile time of
 *   Tripletex (~1.7 s → ~1.2 s for all 2,484 schemas, 148 → 127 MB RSS) while the generated
 *   validators ran no measurably slower (docs/json-schema-suite.md, "Compile time").
 * - `logger: false`: nothing Ajv would log is for the user; unknown formats are collected by
 *   the compiler instead.
 * - formats: ajv-formats in full mode, plus OpenAPI's (`openApiFormats`).
 */
export function createAjv(dialect: EngineDialect): Ajv {
  const options = {
    allErrors: true,
    strict: false,
    validateSchema: false,
    ownProperties: true,
    inlineRefs: false,
    code: { optimize: false },
    logger: false as const,
  };
  const ajv: Ajv = dialect === 'draft4' ? new ajvDraft04.default(options) : new Ajv2020(options);
  ajvFormats.default(ajv, { mode: 'full' });
  for (const [name, format] of Object.entries(openApiFormats)) ajv.addFormat(name, format);
  return ajv;
}

const INT32 = 2 ** 31;
const INT64 = 2 ** 63;
const FLOAT_MAX = 3.4028234663852886e38;
/** RFC 4648 §4 base64 with padding; ajv-formats' own pattern is multi-line, so it accepts any
 * text with an empty line in it. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * OpenAPI 3.0.3 §4.4 "Data Types" formats. ajv-formats has them all, but checks `int64` only
 * for being an integer (so 1e300 passes) and `byte` with a multi-line pattern; these replace
 * those and keep the rest as ajv-formats defines them.
 */
export const openApiFormats = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 },
  // 2**63 - 1 is not a double; the first double above int64's range is 2**63.
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT64 && n < INT64 },
  float: { type: 'number', validate: (n: number) => Math.abs(n) <= FLOAT_MAX },
  double: { type: 'number', validate: (n: number) => Number.isFinite(n) },
  byte: { type: 'string', validate: (s: string) => BASE64.test(s) },
  binary: true,
  password: true,
} as const;
