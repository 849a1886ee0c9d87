/**
 * Parameters and request bodies of one operation: what the client sends.
 */
import type { OperationModel, ParameterModel, RequestBodyModel } from '../../spec/index.js';
import { compareSchemas } from './schema.js';
import { childRef, type DiffScope } from './scope.js';
import { mediaTypeKey } from './media-type.js';

/**
 * Pair parameters by where and name; path parameters by position in the template, so that
 * `/customer/{id}` → `/customer/{customerId}` renames nothing a client sends.
 */
export function compareParameters(scope: DiffScope, before: OperationModel, after: OperationModel): void {
  const renamed = pathParameterRenames(before.path, after.path);
  const key = (p: ParameterModel, renames?: Map<string, string>) =>
    p.in === 'path' ? `path:${renames?.get(p.name) ?? p.name}`
    : p.in === 'header' ? `header:${p.name.toLowerCase()}`
    : `${p.in}:${p.name}`;
  const now = new Map(after.parameters.map((p) => [key(p), p]));
  const was = new Map(before.parameters.map((p) => [key(p, renamed), p]));
  for (const [k, old] of was) {
    if (!now.has(k)) scope.report('parameter-removed', 'old', old.at, `${label(old)} removed`, { where: label(old) });
  }
  for (const [k, p] of now) {
    const old = was.get(k);
    const where = label(p);
    if (!old) {
      if (p.required) scope.report('parameter-added-required', 'new', p.at, `required ${where} added`, { where });
      else scope.report('parameter-added-optional', 'new', p.at, `optional ${where} added`, { where });
      continue;
    }
    if (p.required && !old.required) scope.report('parameter-made-required', 'new', p.at, `${where} is now required`, { where, before: false, after: true });
    const oldSchema = old.schema && scope.documents('old').valueAt(old.schema);
    const newSchema = p.schema && scope.documents('new').valueAt(p.schema);
    if (old.schema && p.schema && oldSchema !== undefined && newSchema !== undefined) {
      compareSchemas(scope, { direction: 'request', subject: 'parameter', where }, { value: oldSchema, at: old.schema }, { value: newSchema, at: p.schema });
    }
  }
}

export function compareRequestBodies(scope: DiffScope, before: RequestBodyModel | undefined, after: RequestBodyModel | undefined): void {
  if (after?.required && !before?.required) {
    const message = before ? 'request body is now required' : 'a required request body is added';
    scope.report('request-body-made-required', 'new', after.at, message, { where: 'request', before: before ? false : undefined, after: true });
  }
  const was = new Map((before?.content ?? []).map((m) => [mediaTypeKey(m.mediaType), m]));
  const now = new Map((after?.content ?? []).map((m) => [mediaTypeKey(m.mediaType), m]));
  for (const [k, old] of was) {
    if (!now.has(k)) scope.report('request-media-type-removed', 'old', childRef(before!.at, 'content', old.mediaType), `request body as ${old.mediaType} no longer accepted`, { where: `request ${old.mediaType}` });
  }
  for (const [k, media] of now) {
    const old = was.get(k);
    const where = `request ${media.mediaType}`;
    if (!old) {
      // A body that did not exist before is reported once, as made-required (or not at all).
      if (before && before.content.length > 0) scope.report('request-media-type-added', 'new', childRef(after!.at, 'content', media.mediaType), `request body also accepted as ${media.mediaType}`, { where });
      continue;
    }
    if (old.schema && media.schema) {
      const oldValue = scope.documents('old').valueAt(old.schema);
      const newValue = scope.documents('new').valueAt(media.schema);
      if (oldValue !== undefined && newValue !== undefined) {
        compareSchemas(scope, { direction: 'request', subject: 'body', where }, { value: oldValue, at: old.schema }, { value: newValue, at: media.schema });
      }
    }
  }
}

/** `parameter query:limit`. */
function label(p: ParameterModel): string {
  return `parameter ${p.in}:${p.name}`;
}

/** Old path-parameter name → the new name at the same position in the template. */
function pathParameterRenames(oldPath: string, newPath: string): Map<string, string> {
  const names = (path: string) => [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
  const was = names(oldPath);
  const now = names(newPath);
  return new Map(was.map((name, i) => [name, now[i] ?? name]));
}
