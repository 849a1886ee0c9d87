/**
 * Line and column of a JSON pointer in the vendor's document as written, for SARIF regions
 * (GitHub code scanning puts a region-less result at the top of the file). The document is
 * read again and parsed with positions only when a report needs them; a pointer to something
 * the document lacks (where a property should be added) lands on its nearest existing parent.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { ApiSpec } from '../spec/api-spec.js';
import type { NodeRef } from '../spec/types.js';
import { typedTokens, vendorTokens } from './overlay/target.js';

export interface Region {
  startLine: number;
  startColumn?: number;
}

/**
 * @example
 * const regionOf = await documentRegions(spec, report.findings.map((f) => f.location));
 * renderDriftSarif(report, { regionOf });
 */
export async function documentRegions(spec: ApiSpec, locations: (NodeRef | undefined)[]): Promise<(location: NodeRef) => Region | undefined> {
  const parsed = new Map<string, { root: Node | null; lines: LineCounter } | undefined>();
  const byShown = new Map(spec.documents.all().map((d) => [d.shown, d]));
  for (const location of locations) {
    const document = location === undefined ? undefined : (byShown.get(location.uri) ?? spec.documents.get(location.uri));
    if (document === undefined || parsed.has(document.shown) || !document.uri.startsWith('file:')) continue;
    try {
      const lines = new LineCounter();
      const text = await readFile(fileURLToPath(document.uri), 'utf8');
      parsed.set(document.shown, { root: parseDocument(text, { lineCounter: lines, uniqueKeys: false }).contents, lines });
    } catch {
      parsed.set(document.shown, undefined); // unreadable now: no regions, not a failure
    }
  }
  return (location) => {
    const document = byShown.get(location.uri) ?? spec.documents.get(location.uri);
    const positions = document === undefined ? undefined : parsed.get(document.shown);
    if (document === undefined || positions === undefined) return undefined;
    // The model of a Swagger 2.0 document is its 3.0 conversion: map back to the file's own places.
    const model = document.uri === spec.documents.root.uri ? spec.document : document.value;
    const tokens = document.uri === spec.documents.root.uri ? vendorTokens(typedTokens(model, location.pointer), spec.specVersion) : typedTokens(model, location.pointer);
    let node: Node | null = positions.root;
    // The line that names the last key reached reads best ("amount:"), not the line its value starts on.
    let named: Node | undefined;
    for (const token of tokens ?? []) {
      const next = child(node, token);
      if (next === undefined) break;
      ({ node, key: named } = { node: next.value, key: next.key ?? named });
    }
    const offset = (named ?? node)?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = positions.lines.linePos(offset);
    return { startLine: line, startColumn: col };
  };
}

function child(node: Node | null, token: string | number): { value: Node; key?: Node } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === token);
    if (pair === undefined || pair.value === null || pair.value === undefined) return undefined;
    return { value: pair.value as Node, ...(pair.key !== null ? { key: pair.key as Node } : {}) };
  }
  if (isSeq(node) && typeof token === 'number') {
    const item = node.items[token] as Node | undefined;
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}
