import { InputFailure } from '../errors.js';

export type TypesErrorCode =
  /** Types asked for on a terminal without `--out`. */
  | 'RECON_TYPES_TERMINAL'
  /** `--out` names a file in a directory that does not exist, or cannot be written. */
  | 'RECON_TYPES_OUT_UNWRITABLE'
  /** A document made of several files that recon cannot hand to the generator as it is. */
  | 'RECON_TYPES_MULTI_DOCUMENT'
  /** openapi-typescript refused the document (a structural error, a `$ref` it cannot follow). */
  | 'RECON_TYPES_GENERATION';

/** Types could not be generated or written. Exit 2: the input or a flag is at fault. */
export class TypesError extends InputFailure<TypesErrorCode> {}
