/**
 * Responses of one operation: what the client reads. Success statuses matter most: a client
 * checks for the status it was written against, so 200 → 201 breaks it even though both succeed.
 */
import type { ResponseModel } from '../../spec/index.js';
import { mediaTypeKey } from './media-type.js';
import { compareSchemas } from './schema.js';
import { childRef, type DiffScope } from './scope.js';

const SUCCESS = /^2(\d\d|xx)$/i;

export function compareResponses(scope: DiffScope, before: ResponseModel[], after: ResponseModel[]): void {
  const was = new Map(before.map((r) => [r.status.toUpperCase(), r]));
  const now = new Map(after.map((r) => [r.status.toUpperCase(), r]));
  const removedSuccess = [...was.values()].filter((r) => SUCCESS.test(r.status) && !now.has(r.status.toUpperCase()));
  let addedSuccess = [...now.values()].filter((r) => SUCCESS.test(r.status) && !was.has(r.status.toUpperCase()));
  // Generators that move the success body to `default` (Tripletex's 3.0 document does) leave
  // the client guessing the status; reported as the success status changing to `default`.
  if (addedSuccess.length === 0 && removedSuccess.length > 0 && now.has('DEFAULT') && !was.has('DEFAULT')) addedSuccess = [now.get('DEFAULT')!];
  const replaced = new Set<ResponseModel>();

  for (const old of removedSuccess) {
    const replacement = addedSuccess.length > 0 ? addedSuccess : undefined;
    if (replacement) {
      const statuses = replacement.map((r) => r.status).join(', ');
      scope.report('success-status-changed', 'new', replacement[0]!.at, `success status ${old.status} → ${statuses}`, {
        where: `response ${old.status}`,
        before: old.status,
        after: replacement.map((r) => r.status),
      });
      for (const r of replacement) replaced.add(r);
    } else {
      scope.report('success-status-removed', 'old', old.at, `success status ${old.status} removed`, { where: `response ${old.status}`, before: old.status });
    }
  }
  // One success status for another (200 → 201): what the body holds still matters.
  if (removedSuccess.length === 1 && addedSuccess.length === 1) compareContent(scope, removedSuccess[0]!, addedSuccess[0]!);

  for (const [status, old] of was) {
    if (!now.has(status) && !SUCCESS.test(old.status)) {
      scope.report('response-status-removed', 'old', old.at, `response ${old.status} no longer documented`, { where: `response ${old.status}` });
    }
  }
  for (const [status, response] of now) {
    const old = was.get(status);
    if (old) compareContent(scope, old, response);
    else if (!replaced.has(response)) {
      scope.report('response-status-added', 'new', response.at, `response ${response.status} added`, { where: `response ${response.status}` });
    }
  }
}

function compareContent(scope: DiffScope, before: ResponseModel, after: ResponseModel): void {
  const was = new Map(before.content.map((m) => [mediaTypeKey(m.mediaType), m]));
  const now = new Map(after.content.map((m) => [mediaTypeKey(m.mediaType), m]));
  for (const [key, old] of was) {
    if (now.has(key)) continue;
    const where = `response ${after.status} ${old.mediaType}`;
    scope.report('response-media-type-removed', 'old', childRef(before.at, 'content', old.mediaType), `${where} removed`, { where });
  }
  for (const [key, media] of now) {
    const old = was.get(key);
    const where = `response ${after.status} ${media.mediaType}`;
    if (!old) {
      if (before.content.length > 0) scope.report('response-media-type-added', 'new', childRef(after.at, 'content', media.mediaType), `${where} added`, { where });
      continue;
    }
    if (!old.schema || !media.schema) continue;
    const oldValue = scope.documents('old').valueAt(old.schema);
    const newValue = scope.documents('new').valueAt(media.schema);
    if (oldValue === undefined || newValue === undefined) continue;
    compareSchemas(scope, { direction: 'response', subject: 'body', where }, { value: oldValue, at: old.schema }, { value: newValue, at: media.schema });
  }
}
