/**
 * The loader's defaults, in a module of their own so that the CLI can show them in --help
 * without loading the loader (and Ajv) at start-up.
 */
export const LOAD_SPEC_DEFAULTS = {
  maxBytes: 32 * 1024 * 1024,
  timeoutMs: 30_000,
  allowUnresolved: false,
  maxDocuments: 200,
} as const;
