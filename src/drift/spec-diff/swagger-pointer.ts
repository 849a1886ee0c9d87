/**
 * Swagger 2.0 documents are compared in the OpenAPI 3.0 shape recon converts them to
 * (src/spec/swagger2.ts), but a person opens the file the vendor wrote. This maps a pointer
 * into the converted shape back to the original where the move is exact (schemas, responses,
 * security schemes, the base path) and to the nearest enclosing node where it is not (a
 * parameter's index shifts when the body parameter is moved out, so a parameter or request
 * body points at the operation's `parameters` list; the change's `where` names which one).
 */
import { parsePointer, toPointer } from '../../spec/index.js';

const RULES: [RegExp, (m: RegExpExecArray) => string[]][] = [
  [/^components\/schemas\/(.*)$/s, (m) => ['definitions', ...split(m[1]!)]],
  [/^components\/securitySchemes\/(.*)$/s, (m) => ['securityDefinitions', ...split(m[1]!)]],
  [/^components\/responses\/([^/]*)\/content\/[^/]*\/schema(\/.*)?$/s, (m) => ['responses', m[1]!, 'schema', ...split(m[2])]],
  [/^components\/responses\/([^/]*)(?:\/content\/[^/]*)?$/s, (m) => ['responses', m[1]!]],
  [/^components\/(?:parameters|requestBodies)\/([^/]*)(?:\/.*)?$/s, (m) => ['parameters', m[1]!]],
  [/^paths\/([^/]*)\/([^/]*)\/responses\/([^/]*)\/content\/[^/]*\/schema(\/.*)?$/s, (m) => ['paths', m[1]!, m[2]!, 'responses', m[3]!, 'schema', ...split(m[4])]],
  [/^paths\/([^/]*)\/([^/]*)\/responses\/([^/]*)\/content\/[^/]*$/s, (m) => ['paths', m[1]!, m[2]!, 'responses', m[3]!]],
  [/^paths\/([^/]*)\/([^/]*)\/(?:parameters|requestBody)(?:\/.*)?$/s, (m) => ['paths', m[1]!, m[2]!, 'parameters']],
  [/^servers(?:\/.*)?$/s, () => ['basePath']],
];

/**
 * @example
 * swaggerPointer('/components/schemas/Item/properties/price') // '/definitions/Item/properties/price'
 */
export function swaggerPointer(pointer: string): string {
  // Each token percent-encoded, so that a path template such as `/items/{id}` (one token)
  // holds no '/' for the patterns above to split on.
  const encoded = parsePointer(pointer).map((t) => encodeURIComponent(t)).join('/');
  for (const [pattern, build] of RULES) {
    const match = pattern.exec(encoded);
    if (match) return toPointer(build(match).map((t) => decodeURIComponent(t)));
  }
  return pointer;
}

function split(rest: string | undefined): string[] {
  if (rest === undefined || rest === '') return [];
  return rest.replace(/^\//, '').split('/');
}
