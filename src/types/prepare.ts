/**
 * The copy of the (overlaid, converted) document that openapi-typescript is given. Its linter
 * fails the whole run on things that do not change a single type, so they are taken out here:
 * - `servers`: a trailing slash (`https://api.vendor.com/`) is a lint *error* there;
 * - duplicate `operationId`s: an error too, and common in vendor documents. The operations that
 *   share one lose it, so their types are written inline under `paths` instead of `operations`.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface PreparedDocument {
  document: Record<string, unknown>;
  /** What was changed, for people: one line each. */
  notes: string[];
}

/**
 * @example
 * const { document, notes } = prepareDocument(spec.document);
 * // notes: ['operationId "list" is shared by 2 operations (GET /a, GET /b): their types are under paths[…] only']
 */
export function prepareDocument(source: Record<string, unknown>): PreparedDocument {
  // The generator may rewrite what it bundles; the caller's document stays as loaded.
  const document = structuredClone(source);
  delete document.servers;
  const byOperationId = new Map<string, { label: string; operation: Record<string, unknown> }[]>();
  for (const [path, item] of Object.entries(isJsonObject(document.paths) ? document.paths : {})) {
    if (!isJsonObject(item)) continue;
    delete item.servers;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isJsonObject(operation)) continue;
      delete operation.servers;
      if (typeof operation.operationId !== 'string') continue;
      const users = byOperationId.get(operation.operationId) ?? [];
      users.push({ label: `${method.toUpperCase()} ${path}`, operation });
      byOperationId.set(operation.operationId, users);
    }
  }
  const notes: string[] = [];
  for (const [id, users] of byOperationId) {
    if (users.length < 2) continue;
    for (const { operation } of users) delete operation.operationId;
    notes.push(`operationId "${id}" is shared by ${users.length} operations (${users.map((u) => u.label).join(', ')}): their types are under paths[…] only`);
  }
  return { document, notes };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
