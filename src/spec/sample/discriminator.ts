/**
 * OpenAPI's `discriminator` (3.0.3 §4.7.25): the property whose value names the `oneOf` /
 * `anyOf` branch a value took. The validator ignores it, but readers (and drift naming the
 * branch) use it, so a sample sets it to the name of the branch it was made from.
 */
import { isReference, type DocumentSet } from '../documents.js';
import { parsePointer } from '../pointer.js';
import type { NodeRef } from '../types.js';
import type { Choice } from './conjunction.js';
import { isObject } from './reading.js';

/**
 * The discriminator property and its value for `branch`: the `mapping` key that names the
 * branch's schema, else (the implicit mapping) the schema's name. Undefined without a
 * discriminator, or for an inline branch no name can point at.
 */
export function discriminatorValue(documents: DocumentSet, choice: Choice, branch: NodeRef): { propertyName: string; value: string } | undefined {
  const discriminator = choice.node.raw.discriminator;
  if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') return undefined;
  const raw = documents.valueAt(branch);
  if (!isReference(raw)) return undefined;
  const target = documents.target(raw.$ref, branch.uri);
  const same = (at: NodeRef): boolean => at.uri === target.uri && at.pointer === target.pointer;
  const base = choice.node.at.uri;
  if (isObject(discriminator.mapping)) {
    for (const [value, ref] of Object.entries(discriminator.mapping)) {
      if (typeof ref !== 'string') continue;
      // A bare name means the schema of that name in components (3.0.3 §4.7.25.1).
      const at = /[#/]/.test(ref) ? documents.target(ref, base) : { uri: base, pointer: `/components/schemas/${ref}` };
      if (same(at)) return { propertyName: discriminator.propertyName, value };
    }
  }
  const name = parsePointer(target.pointer).at(-1);
  return name === undefined ? undefined : { propertyName: discriminator.propertyName, value: name };
}
