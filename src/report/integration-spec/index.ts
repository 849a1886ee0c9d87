/**
 * The integration spec (`integration-spec.yaml`): the hinge between review and runtime. Built
 * from the review model, written as YAML, read back (validated against
 * `specs/integration-spec.schema.json`, older formats migrated) by connectors.
 *
 * @example
 * import { buildIntegrationSpec, readIntegrationSpec, writeIntegrationSpec } from './report/integration-spec/index.js';
 *
 * await writeIntegrationSpec('review/integration-spec.yaml', buildIntegrationSpec(model, inputs));
 * const spec = await readIntegrationSpec('review/integration-spec.yaml');
 * spec.throttle?.sendingLimit; // 58: what the runtime sends per window
 */
export type * from './types.js';
export { INTEGRATION_SPEC_FORMAT } from './types.js';
export { buildIntegrationSpec, type BuildIntegrationSpecOptions } from './build.js';
export { integrationSpecToYaml, writeIntegrationSpec } from './write.js';
export { MAX_INTEGRATION_SPEC_BYTES, parseIntegrationSpec, readIntegrationSpec } from './read.js';
export { INTEGRATION_SPEC_SCHEMA_PATH, integrationSpecSchema, validateIntegrationSpec, type Locate } from './validate.js';
export { MIGRATIONS, migrateIntegrationSpec, type MigrationResult, type MigrationStep } from './migrate.js';
export { IntegrationSpecError, type IntegrationSpecErrorCode, type IntegrationSpecProblem } from './errors.js';
export { RETRY_DEFAULTS } from './retry-defaults.js';
