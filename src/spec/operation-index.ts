/**
 * Match a concrete HTTP request (method + absolute URL or path) to the documented operation and
 * server: the base for lining recorded traffic (HAR) up with the vendor's OpenAPI document.
 *
 * Path templates are compiled once into a segment trie (literal children in a `Map`, one
 * whole-segment parameter child, and partly-literal segments such as `{name}.json`), so a match
 * costs O(request segments), not O(documented paths). Hostile input never throws: it ends in
 * `no-path`.
 *
 * @example
 * const index = new OperationIndex(model.operations, model.servers);
 * const found = index.match('GET', 'https://tripletex.no/v2/customer/5?fields=*');
 * if (found.kind === 'matched') console.log(found.match.operation.operationId, found.match.pathParams);
 */
import { HTTP_METHODS, type HttpMethod, type ServerModel } from './types.js';

/** What the index needs of an operation; `OperationModel` fits, and the index hands back `T`. */
export interface IndexedOperation {
  method: HttpMethod;
  path: string;
  operationId?: string;
}

export interface OperationMatch<T extends IndexedOperation> {
  operation: T;
  server: ServerModel | undefined;
  /** Percent-decoded values, keyed by the names the matched template uses (null-prototype). */
  pathParams: Record<string, string>;
  /** The request path after the server's base path, as sent (not decoded), without query. */
  relativePath: string;
}

export type PathMatch<T extends IndexedOperation> =
  | { kind: 'matched'; match: OperationMatch<T> }
  | {
      kind: 'method-not-documented';
      /** The documented path template the request landed on. */
      path: string;
      documentedMethods: HttpMethod[];
      server: ServerModel | undefined;
      pathParams: Record<string, string>;
    }
  | { kind: 'no-path'; relativePath: string; server: ServerModel | undefined };

/** One `/`-separated piece of a template: `customer`, `{id}`, or `{name}.{ext}`. */
type SegmentPattern =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'mixed'; shape: string; pattern: MixedPattern };

/** A partly-literal segment: `literals` has one more entry than `names` (`{a}.{b}` → ['', '.', '']). */
interface MixedPattern {
  literals: string[];
  names: string[];
}

interface Route<T> {
  template: string;
  segments: SegmentPattern[];
  byMethod: Map<HttpMethod, T>;
}

interface TrieNode<T> {
  literal: Map<string, TrieNode<T>>;
  /** Partly-literal segments, most specific first (see `compareMixed`). */
  mixed: { shape: string; pattern: MixedPattern; node: TrieNode<T> }[];
  param: TrieNode<T> | undefined;
  /** Templates that end here; more than one only if a doc repeats a shape under other names. */
  routes: Route<T>[];
}

interface CompiledServer {
  server: ServerModel;
  /** Lower-case host pattern; `undefined` when the server URL is relative. */
  host: MixedPattern | undefined;
  base: SegmentPattern[];
  baseIsLiteral: boolean;
}

/** A request path segment, decoded once. */
interface RequestSegment {
  raw: string;
  /** `null` when the percent-encoding is malformed (`%zz`). */
  decoded: string | null;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export class OperationIndex<T extends IndexedOperation> {
  readonly #root: TrieNode<T> = newNode();
  readonly #servers: CompiledServer[];
  #maxDepth = 0;

  constructor(operations: readonly T[], servers: readonly ServerModel[]) {
    const routes = new Map<string, Route<T>>();
    for (const operation of operations) {
      let route = routes.get(operation.path);
      if (!route) {
        route = { template: operation.path, segments: splitPath(operation.path).map(compileSegment), byMethod: new Map() };
        routes.set(operation.path, route);
        this.#insert(route);
      }
      // A doc that repeats method + path keeps its first operation.
      if (!route.byMethod.has(operation.method)) route.byMethod.set(operation.method, operation);
    }
    // Longest base path first, literal before templated, then as declared.
    this.#servers = servers
      .map(compileServer)
      .map((compiled, order) => ({ compiled, order }))
      .sort((a, b) => b.compiled.base.length - a.compiled.base.length
        || Number(b.compiled.baseIsLiteral) - Number(a.compiled.baseIsLiteral) || a.order - b.order)
      .map(({ compiled }) => compiled);
  }

  /** `url` may be absolute (`https://api.x.no/v2/customer/5?x=1`) or a path (`/v2/customer/5`); `method` is case-insensitive. */
  match(method: string, url: string): PathMatch<T> {
    const wanted = method.toLowerCase();
    const { host, path } = splitUrl(url);
    const segments = splitPath(path);
    const candidates = this.#candidates(host, segments);
    const first = candidates[0] ?? { server: undefined, consumed: 0 };
    const noPath: PathMatch<T> = { kind: 'no-path', relativePath: joinPath(segments, first.consumed), server: first.server };
    // RFC 3986 §5.2.4: clients remove dot-segments before sending; one that arrives is not a documented path.
    if (segments.some(isDotSegment)) return noPath;

    let fallback: PathMatch<T> | undefined;
    for (const { server, consumed } of candidates) {
      const rest = segments.length - consumed;
      if (rest > this.#maxDepth + 1) continue;
      const relative = segments.slice(consumed).map(decodeSegment);
      for (const variant of trailingSlashVariants(relative)) {
        const node = walk(this.#root, variant, 0);
        if (!node) continue;
        const route = node.routes.find((r) => r.byMethod.has(wanted as HttpMethod));
        if (route) {
          const operation = route.byMethod.get(wanted as HttpMethod) as T;
          const relativePath = joinPath(segments, consumed);
          return { kind: 'matched', match: { operation, server, pathParams: extractParams(route, variant), relativePath } };
        }
        // The most specific path wins before the method is looked at (OpenAPI 3.1 §4.8.8.2), but
        // another base-path reading or slash variant that documents the method beats this one.
        fallback ??= methodNotDocumented(node, variant, server);
      }
    }
    return fallback ?? noPath;
  }

  #insert(route: Route<T>): void {
    let node = this.#root;
    for (const segment of route.segments) node = childFor(node, segment);
    node.routes.push(route);
    this.#maxDepth = Math.max(this.#maxDepth, route.segments.length);
  }

  /** Ways to read the request path, best first: which server, and how many segments its base path takes. */
  #candidates(host: string | undefined, segments: string[]): { server: ServerModel | undefined; consumed: number }[] {
    const found: { server: ServerModel; consumed: number; rank: number }[] = [];
    let literalBaseMatched = false;
    for (const compiled of this.#servers) {
      const consumed = matchBase(compiled.base, segments);
      if (consumed < 0) continue;
      if (compiled.baseIsLiteral) literalBaseMatched = true;
      found.push({ server: compiled.server, consumed, rank: hostRank(compiled.host, host) });
    }
    found.sort((a, b) => b.rank - a.rank); // stable: keeps base-path order within a rank
    const seen = new Set<number>();
    const out: { server: ServerModel | undefined; consumed: number }[] = [];
    for (const { server, consumed } of found) {
      // The same number of segments stripped leaves the same relative path: the first server keeps it.
      if (seen.has(consumed)) continue;
      seen.add(consumed);
      out.push({ server, consumed });
    }
    // No server's base path fits (a proxy, a HAR with a rewritten prefix): try the path as sent.
    // A templated base path (`/{basePath}`) fits almost anything, so it does not rule this out.
    if (!literalBaseMatched && !seen.has(0)) out.push({ server: undefined, consumed: 0 });
    return out;
  }
}

function newNode<T>(): TrieNode<T> {
  return { literal: new Map(), mixed: [], param: undefined, routes: [] };
}

function childFor<T>(node: TrieNode<T>, segment: SegmentPattern): TrieNode<T> {
  if (segment.kind === 'param') return (node.param ??= newNode());
  if (segment.kind === 'literal') {
    let child = node.literal.get(segment.value);
    if (!child) {
      child = newNode();
      node.literal.set(segment.value, child);
      // Store the decoded spelling too, so `%3A` in the doc and `:` on the wire meet.
      const decoded = safeDecode(segment.value);
      if (decoded !== null && !node.literal.has(decoded)) node.literal.set(decoded, child);
    }
    return child;
  }
  let entry = node.mixed.find((m) => m.shape === segment.shape);
  if (!entry) {
    entry = { shape: segment.shape, pattern: segment.pattern, node: newNode() };
    node.mixed.push(entry);
    node.mixed.sort((a, b) => compareMixed(a.pattern, b.pattern));
  }
  return entry.node;
}

/** More literal characters first, then fewer parameters; `Array.sort` is stable, so ties keep doc order. */
function compareMixed(a: MixedPattern, b: MixedPattern): number {
  return literalLength(b) - literalLength(a) || a.names.length - b.names.length;
}

function literalLength(pattern: MixedPattern): number {
  return pattern.literals.reduce((sum, literal) => sum + literal.length, 0);
}

/**
 * Depth-first, literal before partly-literal before parameter at each position, backtracking
 * when a branch dead-ends: the left-most position where two templates differ decides. Each trie
 * node is reached by one route from the root, so a walk visits it at most once.
 */
function walk<T>(node: TrieNode<T>, segments: RequestSegment[], i: number): TrieNode<T> | undefined {
  const segment = segments[i];
  if (!segment) return node.routes.length > 0 ? node : undefined;
  const literal = node.literal.get(segment.raw) ?? (segment.decoded === null ? undefined : node.literal.get(segment.decoded));
  if (literal) {
    const found = walk(literal, segments, i + 1);
    if (found) return found;
  }
  for (const mixed of node.mixed) {
    if (!matchMixedSegment(mixed.pattern, segment)) continue;
    const found = walk(mixed.node, segments, i + 1);
    if (found) return found;
  }
  if (node.param && isParamValue(segment)) return walk(node.param, segments, i + 1);
  return undefined;
}

function methodNotDocumented<T extends IndexedOperation>(
  node: TrieNode<T>,
  segments: RequestSegment[],
  server: ServerModel | undefined,
): PathMatch<T> {
  const route = node.routes[0] as Route<T>;
  const methods = new Set<HttpMethod>();
  for (const r of node.routes) for (const m of r.byMethod.keys()) methods.add(m);
  return {
    kind: 'method-not-documented',
    path: route.template,
    documentedMethods: HTTP_METHODS.filter((m) => methods.has(m)),
    server,
    pathParams: extractParams(route, segments),
  };
}

function extractParams(route: Route<unknown>, segments: RequestSegment[]): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  route.segments.forEach((pattern, i) => {
    const segment = segments[i];
    if (!segment) return;
    if (pattern.kind === 'param') params[pattern.name] = segment.decoded ?? segment.raw;
    else if (pattern.kind === 'mixed') {
      const values = matchMixedSegment(pattern.pattern, segment) ?? [];
      pattern.pattern.names.forEach((name, j) => {
        const value = values[j];
        if (value !== undefined) params[name] = value;
      });
    }
  });
  return params;
}

function compileSegment(text: string): SegmentPattern {
  if (!text.includes('{')) return { kind: 'literal', value: text };
  const whole = /^\{([^{}]+)\}$/.exec(text);
  if (whole) return { kind: 'param', name: whole[1] as string };
  const pattern = parseMixed(text);
  return { kind: 'mixed', shape: pattern.literals.join('{}'), pattern };
}

function parseMixed(text: string): MixedPattern {
  const literals: string[] = [];
  const names: string[] = [];
  let rest = text;
  for (let m = /\{([^{}]*)\}/.exec(rest); m; m = /\{([^{}]*)\}/.exec(rest)) {
    literals.push(rest.slice(0, m.index));
    names.push(m[1] as string);
    rest = rest.slice(m.index + m[0].length);
  }
  literals.push(rest);
  return { literals, names };
}

/** Param values of a partly-literal segment, decoded; tries the segment as sent, then decoded. */
function matchMixedSegment(pattern: MixedPattern, segment: RequestSegment): string[] | undefined {
  const raw = matchMixed(pattern, segment.raw);
  if (raw) {
    const decoded = raw.map(safeDecode);
    if (decoded.every((v): v is string => v !== null)) return decoded;
  }
  if (segment.decoded === null || segment.decoded === segment.raw) return undefined;
  return matchMixed(pattern, segment.decoded);
}

/**
 * Split `text` by the literal parts of `pattern`, every value non-empty. Right to left, each
 * separator at its last possible place (what a greedy `^(.+)\.(.+)$` finds), without a regex:
 * no backtracking blow-up on a 100k-character segment.
 */
function matchMixed(pattern: MixedPattern, text: string): string[] | undefined {
  const { literals, names } = pattern;
  const head = literals[0] as string;
  const tail = literals[literals.length - 1] as string;
  if (text.length < head.length + tail.length + names.length) return undefined;
  if (!text.startsWith(head) || !text.endsWith(tail)) return undefined;
  const values: string[] = new Array<string>(names.length);
  let end = text.length - tail.length;
  for (let j = names.length - 1; j > 0; j--) {
    const separator = literals[j] as string;
    const at = text.lastIndexOf(separator, end - 1 - separator.length);
    if (at < head.length + 1) return undefined;
    values[j] = text.slice(at + separator.length, end);
    end = at;
  }
  if (end <= head.length) return undefined;
  values[0] = text.slice(head.length, end);
  return values;
}

function compileServer(server: ServerModel): CompiledServer {
  const { host, path } = splitUrl(server.url.trim());
  // `basePath` is the model's reading of the URL; a templated URL path (`/{basePath}`) wins so
  // its variable stays a wildcard even if the model filled in the default.
  const base = host !== undefined && path.includes('{') ? path : server.basePath;
  const segments = splitPath(base).filter((s) => s !== '').map(compileSegment);
  return {
    server,
    host: host === undefined ? undefined : parseMixed(host),
    base: segments,
    baseIsLiteral: segments.every((s) => s.kind === 'literal'),
  };
}

/** Segments the base path takes from the front of the request path, or -1 if it does not fit. */
function matchBase(base: SegmentPattern[], segments: string[]): number {
  if (base.length > segments.length) return -1;
  for (const [i, pattern] of base.entries()) {
    const segment = decodeSegment(segments[i] as string);
    const fits = pattern.kind === 'literal'
      ? segment.raw === pattern.value || segment.decoded === pattern.value
      : pattern.kind === 'param'
        ? isParamValue(segment)
        : matchMixedSegment(pattern.pattern, segment) !== undefined;
    if (!fits) return -1;
  }
  return base.length;
}

/** 2: the request's host is the server's; 1: one of them has no host; 0: different hosts. */
function hostRank(server: MixedPattern | undefined, host: string | undefined): number {
  if (server === undefined || host === undefined) return 1;
  if (server.names.length === 0) return server.literals[0] === host ? 2 : 0;
  return matchMixed(server, host) ? 2 : 0;
}

/** Host (lower case, no port or user info) and path of a URL or bare path; query and fragment dropped. */
function splitUrl(url: string): { host: string | undefined; path: string } {
  const cut = url.search(/[?#]/);
  const noQuery = cut < 0 ? url : url.slice(0, cut);
  const scheme = SCHEME.exec(noQuery);
  if (!scheme) return { host: undefined, path: noQuery.startsWith('/') ? noQuery : `/${noQuery}` };
  const rest = noQuery.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.replace(/:[^:]*$/, '');
  return { host: host.toLowerCase(), path: slash < 0 ? '/' : rest.slice(slash) };
}

/** `/a/b/` → ['a', 'b', '']; `/` → ['']. */
function splitPath(path: string): string[] {
  return (path.startsWith('/') ? path.slice(1) : path).split('/');
}

function joinPath(segments: string[], from: number): string {
  return `/${segments.slice(from).join('/')}`;
}

/** The path as sent, then with its trailing slash toggled (`/customer/` ↔ `/customer`). */
function trailingSlashVariants(segments: RequestSegment[]): RequestSegment[][] {
  const last = segments[segments.length - 1];
  if (last?.raw === '') return segments.length > 1 ? [segments, segments.slice(0, -1)] : [segments];
  return [segments, [...segments, { raw: '', decoded: '' }]];
}

function decodeSegment(raw: string): RequestSegment {
  return { raw, decoded: raw.includes('%') ? safeDecode(raw) : raw };
}

function safeDecode(text: string): string | null {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function isDotSegment(raw: string): boolean {
  if (raw === '.' || raw === '..') return true;
  if (!raw.includes('%')) return false;
  const decoded = safeDecode(raw);
  return decoded === '.' || decoded === '..';
}

/** A parameter takes a whole non-empty segment whose percent-encoding is well formed. */
function isParamValue(segment: RequestSegment): boolean {
  return segment.raw !== '' && segment.decoded !== null;
}
