/**
 * One line per finding that a person reads without knowing the finding kinds: what was seen,
 * where, and what the document says.
 */
import type { FindingEntry } from './aggregate.js';
import type { JsonType } from './types.js';

export function findingMessage(entry: FindingEntry, total: number): string {
  const seen = `in ${entry.responses} of ${total} response${total === 1 ? '' : 's'}`;
  const values = entry.occurrences > entry.responses ? ` (${entry.occurrences} values)` : '';
  const where = entry.pointer === '' ? 'the body' : `\`${entry.pointer}\``;
  const types = [...entry.types.keys()];
  switch (entry.kind) {
    case 'undocumented-operation':
      return `${entry.operation.method.toUpperCase()} ${entry.operation.path} is not in the document; answered ${entry.status ?? '?'} ${seen}`;
    case 'undocumented-status':
      return `status ${entry.status ?? '?'} is not documented for this operation; seen ${seen.replace(/^in /, '')}`;
    case 'undocumented-content-type':
      return `answered ${entry.contentType ?? 'without a content type'}; the document lists ${list(entry.expected) || 'no content'} (${seen})`;
    case 'invalid-body':
      return `the body does not parse as ${entry.contentType ?? 'its content type'}: ${entry.detail ?? 'invalid'} (${seen})`;
    case 'missing-required':
      return `required property \`${entry.property ?? entry.pointer}\` is absent ${seen}${values}`;
    case 'undocumented-property':
      return `${where} is not in the document${entry.severity === 'error' ? ' (it says additionalProperties: false)' : ''}; seen ${seen.replace(/^in /, '')}${values}${types.length > 0 ? `, as ${types.join('/')}` : ''}`;
    case 'type-mismatch':
      return `${where} is ${types.map(article).join(' or ')} where the document says ${list(entry.expected)}${sentAs(types, entry.expected)} ${seen}${values}`;
    case 'unexpected-null':
      return `${where} is null, which the document does not allow, ${seen}${values}`;
    case 'enum-mismatch':
      return `${where} has ${entry.enumValues.map((v) => JSON.stringify(v)).join(', ')}, not in the documented ${list(entry.expected)} ${seen}${values}`;
    case 'format-mismatch': {
      const formats = [...entry.formats.keys()];
      const as = formats.length > 0 ? ` (the values look like ${formats.join(', ')})` : '';
      return `${where} does not match format ${String(entry.expected)}${as} ${seen}${values}`;
    }
    case 'constraint-violation':
      return `${where} breaks ${entry.keyword ?? 'a constraint'}: ${JSON.stringify(entry.expected)}${bounds(entry)} ${seen}${values}`;
    case 'undocumented-header':
      return `header ${entry.pointer.slice('header:'.length)} is sent but not documented; ${seen.replace(/^in /, 'in ')}`;
    case 'missing-header':
      return entry.severity === 'error'
        ? `required header ${entry.property ?? ''} is absent ${seen}`
        : `documented header ${entry.property ?? ''} was never sent (absent in ${entry.responses} of ${total})`;
    case 'never-observed':
      return entry.status === undefined ? 'documented, never observed in the recordings (unverified)' : `documented status ${entry.status} never observed (unverified)`;
  }
}

function list(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

function article(type: JsonType): string {
  return type === 'integer' || type === 'array' || type === 'object' ? `an ${type}` : type === 'null' ? 'null' : `a ${type}`;
}

/** "number sent as string": the most common way a vendor's payload departs from its types. */
function sentAs(types: JsonType[], expected: unknown): string {
  const documented = Array.isArray(expected) ? expected : [expected];
  if (types.length === 1 && types[0] === 'string' && documented.some((t) => t === 'number' || t === 'integer')) return ` (${documented.includes('integer') ? 'integer' : 'number'} sent as string)`;
  if (types.length === 1 && types[0] === 'number' && documented.includes('integer')) return ' (a fraction where an integer is documented)';
  return '';
}

function bounds(entry: FindingEntry): string {
  if (entry.min === undefined || entry.max === undefined) return '';
  const what = entry.types.has('string') ? 'length' : entry.types.has('array') ? 'items' : 'value';
  return entry.min === entry.max ? `, observed ${what} ${entry.max}` : `, observed ${what} ${entry.min}..${entry.max}`;
}
