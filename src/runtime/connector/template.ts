/**
 * Connector templates: `${/json/pointer}` is the value at that pointer in the record (RFC 6901),
 * `${id}` the message id, `${key}` the idempotency key, `$${` a literal `${`. A string that is
 * exactly one `${…}` keeps the value's type; anywhere else the value is stringified. Nothing is
 * evaluated: a template is parsed into text and references, and references are only looked up.
 */
import { getAtPointer } from '../../spec/index.js';
import { ConnectorInputError } from './errors.js';

export interface TemplateContext {
  record: unknown;
  /** The message id (`${id}`). */
  id: string;
  /** The idempotency key (`${key}`). */
  key: string;
  /** Where the template sits (`request.body`), for messages. */
  at?: string;
}

export type TemplatePart = { text: string } | { ref: 'id' | 'key' } | { pointer: string };

/** A template string with bad syntax; `message` says what and where in the string. */
export class TemplateSyntaxError extends Error {}

const POINTER = /^(\/([^~]|~[01])*)*$/;

/**
 * Split a template string into literal text and references.
 * @example parseTemplate('INV-${/no}') // [{ text: 'INV-' }, { pointer: '/no' }]
 */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!template.startsWith('${', i)) {
      text += template[i];
      i += 1;
      continue;
    }
    const end = template.indexOf('}', i + 2);
    if (end < 0) throw new TemplateSyntaxError(`'\${' at character ${i + 1} is not closed with '}' (write $\${ for a literal \${)`);
    const inner = template.slice(i + 2, end);
    if (text !== '') parts.push({ text });
    text = '';
    if (inner === 'id' || inner === 'key') parts.push({ ref: inner });
    else if (inner.startsWith('/') && POINTER.test(inner)) parts.push({ pointer: inner });
    else {
      throw new TemplateSyntaxError(`'\${${inner}}' is neither a JSON pointer (\${/field/sub}), \${id} nor \${key} (write $\${ for a literal \${)`);
    }
    i = end + 1;
  }
  if (text !== '' || parts.length === 0) parts.push({ text });
  return parts;
}

/** Parsed templates, kept: the same few strings are rendered for every message. */
const parsed = new Map<string, TemplatePart[]>();
const MAX_CACHED = 10_000;

function partsOf(template: string): TemplatePart[] {
  let parts = parsed.get(template);
  if (!parts) {
    parts = parseTemplate(template);
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(template, parts);
  }
  return parts;
}

/**
 * Render a template value: strings are templates, objects and arrays are walked, other values
 * are kept. Only the record's own properties are read, so `__proto__` in a record is just a key.
 *
 * @example
 * renderTemplate({ customerId: '${/customer/id}', text: 'Order ${/no}' },
 *   { record: { no: 7, customer: { id: 10001 } }, id: '7', key: 'k-7' })
 * // { customerId: 10001, text: 'Order 7' }
 */
export function renderTemplate(template: unknown, context: TemplateContext): unknown {
  return render(template, context, context.at ?? '');
}

function render(template: unknown, context: TemplateContext, at: string): unknown {
  if (typeof template === 'string') return renderString(template, context, at);
  if (Array.isArray(template)) return template.map((item, index) => render(item, context, `${at}[${index}]`));
  if (template !== null && typeof template === 'object') {
    // fromEntries defines own properties: a `__proto__` key stays a key, never a prototype.
    return Object.fromEntries(Object.entries(template).map(([name, value]) => [name, render(value, context, at === '' ? name : `${at}.${name}`)]));
  }
  return template;
}

function renderString(template: string, context: TemplateContext, at: string): unknown {
  let parts: TemplatePart[];
  try {
    parts = partsOf(template);
  } catch (error) {
    throw new ConnectorInputError('RECON_CONNECTOR_INVALID_MESSAGE', `template${at ? ` at ${at}` : ''}: ${(error as Error).message}`, context.id);
  }
  if (parts.length === 1 && !('text' in parts[0]!)) return valueOf(parts[0]!, context, at);
  let out = '';
  for (const part of parts) out += 'text' in part ? part.text : stringify(valueOf(part, context, at));
  return out;
}

function valueOf(part: Exclude<TemplatePart, { text: string }>, context: TemplateContext, at: string): unknown {
  if ('ref' in part) return context[part.ref];
  const value = getAtPointer(context.record, part.pointer);
  if (value === undefined) throw missingField(part.pointer, context.id, at);
  return value;
}

/** The error for a pointer the record lacks: names the pointer, the record and the template. */
export function missingField(pointer: string, id: string, at: string): ConnectorInputError {
  const where = at ? ` (used by ${at})` : '';
  return new ConnectorInputError('RECON_CONNECTOR_MISSING_FIELD', `record ${id}: no value at ${pointer}${where}`, id);
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
