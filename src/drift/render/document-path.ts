/**
 * Which file of the vendor's document a finding points into, named the way the reader named the
 * document: relative to where `recon drift` ran when the spec source was a relative path, so that
 * a SARIF upload and a CI log show `specs/acme.yaml`, not the reviewer's home directory.
 */
import { pathToFileURL } from 'node:url';
import type { DriftReport } from '../types.js';

export interface DocumentPath {
  /** An RFC 3986 URI reference: relative (`specs/acme.yaml`, percent-encoded) or absolute. */
  uri: string;
  /** The same for people: relative path decoded, or the absolute URI / path. */
  display: string;
  relative: boolean;
}

/**
 * Build the resolver for one report. The report's `spec.source` is the path as given (relative
 * to the working directory) and the findings' locations are absolute `file:` URLs; the root
 * document's URL ends with the source path, which gives the working directory back.
 *
 * @example
 * const documentPath = documentPathResolver(report);
 * documentPath('file:///home/me/acme/specs/schemas/customer.yaml').uri; // 'specs/schemas/customer.yaml'
 */
export function documentPathResolver(report: DriftReport): (uri: string | undefined) => DocumentPath {
  const source = report.spec.source;
  const base = workingDirectory(report);
  const sourcePath: DocumentPath = isRelativePath(source)
    ? { uri: encodePath(normaliseRelative(source)), display: normaliseRelative(source), relative: true }
    : absolute(source);
  return (uri) => {
    if (uri === undefined) return sourcePath;
    // Reports name documents as the reader did (`specs/acme.yaml`): already relative.
    if (isRelativePath(uri)) return { uri: encodePath(normaliseRelative(uri)), display: normaliseRelative(uri), relative: true };
    const path = fileUrlPath(uri);
    if (path !== undefined && base !== undefined && path.startsWith(base)) {
      const relativePath = path.slice(base.length);
      return { uri: encodePath(relativePath), display: relativePath, relative: true };
    }
    return { uri, display: path ?? uri, relative: false };
  };
}

/** The directory (ending in `/`, decoded) that `spec.source` was relative to, when it shows. */
function workingDirectory(report: DriftReport): string | undefined {
  if (!isRelativePath(report.spec.source)) return undefined;
  const source = normaliseRelative(report.spec.source);
  if (source.startsWith('../')) return undefined;
  for (const finding of [...report.findings, ...(report.profile ?? [])]) {
    const path = finding.location ? fileUrlPath(finding.location.uri) : undefined;
    if (path !== undefined && path.endsWith('/' + source)) return path.slice(0, path.length - source.length);
  }
  return undefined;
}

function isRelativePath(source: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(source) && !source.startsWith('/') && !source.startsWith('\\');
}

function normaliseRelative(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** The decoded path of a `file:` URL; undefined for other schemes and for malformed URLs. */
function fileUrlPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}

/** RFC 3986 §3.3: each segment percent-encoded, so `#`, `?`, spaces and braces stay in the path. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function absolute(source: string): DocumentPath {
  if (/^[a-z][a-z0-9+.-]*:/i.test(source)) return { uri: source, display: source, relative: false };
  return { uri: pathToFileURL(source).href, display: source, relative: false };
}
