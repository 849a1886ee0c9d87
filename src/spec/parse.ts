/**
 * Parse the text of an API document (JSON or YAML) into plain data, with syntax errors that
 * carry a line and column.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { SpecLoadError } from '../errors.js';
import { jsonErrorPosition as jsonErrorPositionOf, lineAndColumn } from '../text/index.js';

// The YAML parser is loaded on first use: most large vendor documents are JSON, and a JSON
// document needs it only to place a syntax error (loading it costs ~25 ms of start-up).
const require = createRequire(import.meta.url);
let yaml: typeof Yaml | undefined;
function parseDocument(...args: Parameters<typeof Yaml.parseDocument>): ReturnType<typeof Yaml.parseDocument> {
  yaml ??= require('yaml') as typeof Yaml;
  return yaml.parseDocument(...args);
}

/** YAML aliases a document may expand: enough for real specs, far too few for a "billion laughs". */
const MAX_ALIAS_COUNT = 1_000;

export type DocumentFormat = 'json' | 'yaml';

export function detectFormat(text: string, source: string): DocumentFormat {
  if (/\.json$/i.test(source.replace(/[?#].*$/, ''))) return 'json';
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

/**
 * Deepest nesting a document may have. Real API documents nest a few dozen levels; one nested
 * 100,000 levels parses (JSON.parse does not recurse) but overflows the stack of every recursive
 * step after it (schema normalisation, type generation), so it is refused at the door.
 */
export const MAX_DOCUMENT_DEPTH = 1_000;

/** Parse `text`; `source` names the file or URL in errors. */
export function parseDocumentText(text: string, source: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    throw new SpecLoadError('RECON_SPEC_EMPTY', 'the document is empty', { source }, {
      hint: 'point recon at an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML)',
    });
  }
  const value = detectFormat(text, source) === 'json' ? parseJson(text, source) : parseYaml(text, source);
  const deep = deepestPointer(value, MAX_DOCUMENT_DEPTH);
  if (deep !== undefined) {
    throw new SpecLoadError('RECON_SPEC_SYNTAX', `the document is nested more than ${MAX_DOCUMENT_DEPTH} levels deep; a real API document is not`, { source, pointer: deep });
  }
  return value;
}

/** The pointer (cut short) of the first node deeper than `max`, found without recursion. */
function deepestPointer(root: unknown, max: number): string | undefined {
  const stack: [unknown, number, string][] = [[root, 0, '']];
  while (stack.length > 0) {
    const [value, depth, pointer] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= max) return pointer.length > 80 ? `${pointer.slice(0, 80)}…` : pointer;
    for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1, pointer.length > 100 ? pointer : `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    }
  }
  return undefined;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(source, error);
    const message = error instanceof Error ? error.message : String(error);
    const { line, column } = jsonErrorPosition(text, message);
    throw new SpecLoadError('RECON_SPEC_SYNTAX', `invalid JSON: ${firstLine(message)}`, { source, line, column }, {
      cause: error,
    });
  }
}

function parseYaml(text: string, source: string): unknown {
  let document;
  try {
    document = parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: false });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(source, error);
    throw error;
  }
  const problem = document.errors[0];
  if (problem && /call stack/i.test(problem.message)) throw tooDeep(source, problem);
  if (problem) {
    const pos = problem.linePos?.[0];
    throw new SpecLoadError(
      'RECON_SPEC_SYNTAX',
      `invalid YAML: ${firstLine(problem.message)}`,
      { source, line: pos?.line ?? lineAndColumn(text, problem.pos[0]).line, column: pos?.col ?? lineAndColumn(text, problem.pos[0]).column },
      { cause: problem },
    );
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(source, error);
    const message = error instanceof Error ? error.message : String(error);
    throw new SpecLoadError('RECON_SPEC_SYNTAX', `invalid YAML: ${firstLine(message)}`, { source }, {
      cause: error,
      hint: /alias/i.test(message) ? `the document expands more than ${MAX_ALIAS_COUNT} YAML aliases; a real API document does not` : undefined,
    });
  }
}

function tooDeep(source: string, cause: unknown): SpecLoadError {
  return new SpecLoadError('RECON_SPEC_SYNTAX', 'the document is nested too deeply to parse', { source }, { cause });
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/\s+at line \d+, column \d+:?$/, '');
}

/** V8 says "at position N" for most JSON errors; the scanner finds the rest. */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const match = /at position (\d+)/.exec(message);
  return match ? lineAndColumn(text, Number(match[1])) : jsonErrorPositionOf(text);
}
