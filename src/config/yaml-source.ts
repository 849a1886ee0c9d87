/**
 * Parse `recon.yaml` into plain data while keeping the YAML tree, so that any problem found later
 * (by the schema, or when resolving references) can name its line and column.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { ConfigError, formatKeyPath, sortProblems, type ConfigProblem, type KeyPath } from './errors.js';

/** YAML aliases a config may expand: plenty for anchors reused across targets, far too few for a "billion laughs". */
export const MAX_ALIAS_COUNT = 100;

export interface ConfigSource {
  /** The file as shown in messages. */
  shown: string;
  /** The document as plain data (validated later). */
  data: unknown;
  /** Line and column of the key (or item) at `path`; the nearest existing ancestor when it is absent. */
  locate(path: KeyPath): { line: number; column: number } | undefined;
  /** A problem at `path`, placed. */
  problem(path: KeyPath, message: string): ConfigProblem;
}

export function parseConfigText(text: string, shown: string): ConfigSource {
  const lineCounter = new LineCounter();
  let document: Document.Parsed;
  try {
    document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(shown, error);
    throw error;
  }
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const syntaxError = document.errors[0];
  if (syntaxError) {
    // Only the first: the parser's later errors are mostly echoes of it.
    // The parser records a stack overflow on 100,000 nested [ as an error of its own.
    if (/call stack/i.test(syntaxError.message)) throw tooDeep(shown, syntaxError);
    const at = position(syntaxError.pos[0]);
    const line = text.split('\n')[at.line - 1] ?? '';
    throw new ConfigError('RECON_CONFIG_SYNTAX', shown, [{ ...at, path: '', message: `invalid YAML: ${firstLine(syntaxError.message)}` }], {
      cause: syntaxError,
      // `{ ca: ${file:./ca.pem} }`: in flow style, { and } end the value unless it is quoted.
      hint: line.includes('${') && /[[{]/.test(line) ? 'inside { } or [ ], quote references: { ca: "${file:./certs/ca.pem}" }' : undefined,
    });
  }
  if (document.contents === null || (isScalar(document.contents) && document.contents.value === null)) {
    throw new ConfigError('RECON_CONFIG_INVALID', shown, [{ path: '', message: 'the file is empty' }], {
      hint: "start from 'recon init', which writes a commented recon.yaml",
    });
  }
  if (!isMap(document.contents)) {
    const found = isSeq(document.contents) ? 'a list' : 'a single value';
    throw new ConfigError('RECON_CONFIG_INVALID', shown, [{ ...position(document.contents.range?.[0] ?? 0), path: '', message: `expected a mapping of keys (version, targets, …), found ${found}` }]);
  }
  rejectPrototypeKeys(document, shown, position);

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(shown, error);
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      throw new ConfigError('RECON_CONFIG_SYNTAX', shown, [{ path: '', message: `the YAML expands more than ${MAX_ALIAS_COUNT} aliases; no recon file needs that many` }], { cause: error });
    }
    throw new ConfigError('RECON_CONFIG_SYNTAX', shown, [{ path: '', message: `invalid YAML: ${firstLine(message)}` }], { cause: error });
  }

  const locate = (path: KeyPath) => {
    const offset = offsetOf(document, path);
    return offset === undefined ? undefined : position(offset);
  };
  return {
    shown,
    data,
    locate,
    problem: (path, message) => ({ ...locate(path), path: formatKeyPath(path), message }),
  };
}

/**
 * `__proto__` as a key would, once copied by ordinary code, replace an object's prototype. A
 * config never needs it, so it is refused wherever it appears.
 */
function rejectPrototypeKeys(document: Document.Parsed, shown: string, position: (offset: number) => { line: number; column: number }): void {
  const problems: ConfigProblem[] = [];
  try {
    visit(document, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && pair.key.value === '__proto__') {
          problems.push({ ...position(pair.key.range?.[0] ?? 0), path: '', message: "the key '__proto__' is not allowed" });
        }
      },
    });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(shown, error);
    throw error;
  }
  if (problems.length > 0) throw new ConfigError('RECON_CONFIG_INVALID', shown, sortProblems(problems));
}

/** Offset of the key (or sequence item) at `path`, walking through aliases; else of the nearest ancestor. */
function offsetOf(document: Document.Parsed, path: KeyPath): number | undefined {
  let node: unknown = document.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function tooDeep(shown: string, cause: unknown): ConfigError {
  return new ConfigError('RECON_CONFIG_SYNTAX', shown, [{ path: '', message: 'the YAML is nested too deeply to read' }], { cause });
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/\s+at line \d+, column \d+:?$/, '');
}
