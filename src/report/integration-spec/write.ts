/**
 * Write the integration spec as YAML: a header that says what the file is, who reads it and how
 * to regenerate it; keys in the schema's order; no anchors, no folded lines; so that a
 * regenerated spec diffs only where the review's results changed.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { Document } from 'yaml';
import { IntegrationSpecError } from './errors.js';
import { orderBySchema } from './order.js';
import type { IntegrationSpec } from './types.js';
import { validateIntegrationSpec } from './validate.js';

/**
 * The spec as YAML text. Refuses (exit 2) a spec the schema rejects: a file connectors will trust
 * must never be written wrong.
 *
 * @example
 * const text = integrationSpecToYaml(spec); // '# integration-spec.yaml — …\nintegrationSpec: 1\n…'
 */
export function integrationSpecToYaml(spec: IntegrationSpec): string {
  const problems = validateIntegrationSpec(spec);
  if (problems.length > 0) {
    throw new IntegrationSpecError('RECON_INTEGRATION_SPEC_INVALID', '(integration spec to write)', problems, {
      hint: 'this is a bug in what built the spec: nothing was written',
    });
  }
  const document = new Document(orderBySchema(spec), { aliasDuplicateObjects: false });
  document.commentBefore = header(spec);
  // lineWidth 0: long evidence strings stay on one line, so a changed word changes one line.
  return document.toString({ lineWidth: 0, indentSeq: true });
}

/**
 * Write `spec` to `path` (through a temporary file and a rename, so that a connector reading it
 * never sees half a file).
 *
 * @example
 * await writeIntegrationSpec('review/integration-spec.yaml', buildIntegrationSpec(model, inputs));
 */
export async function writeIntegrationSpec(path: string, spec: IntegrationSpec): Promise<void> {
  const text = integrationSpecToYaml(spec);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function header(spec: IntegrationSpec): string {
  const by = spec.generator ? `recon ${spec.generator.version}` : 'recon';
  return [
    ` integration-spec.yaml — what the review of ${spec.vendor.name} (${spec.environment.target}) measured,`,
    ' in the form the runtime reads. Format 1: specs/integration-spec.schema.json.',
    '',
    ' Connectors (recon run) read it: throttle, retry, idempotency and paging come from here;',
    ' nothing at runtime re-derives what the review measured. Each measured value says where it',
    ' came from (source: measured | headers | documented | assumed) and when (at).',
    '',
    ` Written by ${by} at ${spec.generatedAt}. Regenerate it from the review folder with`,
    ' `recon report`. Hand edits are validated on read; keys starting with x- are kept.',
    ' It holds no secrets: credentials stay in recon.yaml as ${env:…} references.',
  ].join('\n');
}
