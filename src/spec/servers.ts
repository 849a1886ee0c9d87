/**
 * Server objects: where the API lives, and the base path a concrete request URL starts with.
 */
import type { ServerModel } from './types.js';

/** The servers listed at `value` (document, path item or operation), or undefined when none are. */
export function readServers(value: unknown): ServerModel[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const servers = value
    .filter((s): s is Record<string, unknown> => s !== null && typeof s === 'object' && typeof s.url === 'string')
    .map((s) => {
      const url = s.url as string;
      const model: ServerModel = { url, basePath: basePathOf(url) };
      if (typeof s.description === 'string') model.description = s.description;
      return model;
    });
  return servers.length > 0 ? servers : undefined;
}

/** `https://{tenant}.x.no/api/v1/` → `/api/v1`. Templated segments stay templated. */
export function basePathOf(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
