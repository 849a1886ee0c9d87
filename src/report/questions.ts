/**
 * Questions for the vendor: one per contradiction and per notable surprise, phrased as a person
 * would ask it, each with the evidence to attach. The same field seen on the list and the get
 * operation of one resource is one question, and so is one header seen on every response.
 */
import type { Finding } from '../drift/types.js';
import { count, fieldOf, groupBy, labelOf, numberWord, ofResponses, operationIdOf, recordsOf, siteOf } from './risks/index.js';
import type { ReviewInputs, VendorQuestion } from './types.js';

/** Drift kinds worth a question, besides every error. */
const NOTABLE = new Set(['undocumented-operation', 'undocumented-status', 'undocumented-content-type', 'undocumented-property', 'undocumented-header', 'missing-header']);

/**
 * @example
 * buildQuestions(inputs).find((q) => q.id.startsWith('drift:type-mismatch'))?.question
 * // 'GET /invoices returns `amount` as a string in 9 of 80 values (4 of 4 responses); the document says number. Which is correct, and will it change?'
 */
export function buildQuestions(inputs: ReviewInputs): VendorQuestion[] {
  const questions = [...limitsQuestions(inputs), ...idempotencyQuestions(inputs), ...profileQuestions(inputs), ...paginationQuestions(inputs)];
  const pagingAsked = questions.some((q) => q.id === 'pagination-style');
  const findings = (inputs.drift?.findings ?? []).filter((f) => f.severity === 'error' || NOTABLE.has(f.kind));
  for (const group of groupBy(findings, questionKey).values()) {
    const first = group[0]!;
    // The Link header is the pagination question's evidence, not a question of its own.
    if (pagingAsked && first.pointer.toLowerCase() === 'header:link') continue;
    const question = driftQuestion(group, inputs);
    if (question !== undefined) questions.push(question);
  }
  return questions;
}

/** Findings that ask the same thing: one field of one resource, one header, one status. */
function questionKey(f: Finding): string {
  if (f.pointer.startsWith('header:')) return `${f.kind} ${f.pointer.toLowerCase()}`;
  if (f.kind === 'undocumented-status') return `${f.kind} ${f.status ?? ''}`;
  if (f.kind === 'undocumented-content-type') return `${f.kind} ${f.contentType ?? ''}`;
  if (f.kind === 'undocumented-operation') return `${f.kind} ${labelOf(f.operation)}`;
  return `${f.kind} ${recordsOf(f.operation.path)} ${fieldOf(f.pointer)} ${f.status ?? ''}`;
}

function driftQuestion(group: Finding[], inputs: ReviewInputs): VendorQuestion | undefined {
  const f = group[0]!;
  const labels = [...new Set(group.map((g) => labelOf(g.operation)))];
  const ops = labels.length > 4 ? `${labels.length} operations (${labels.slice(0, 3).join(', ')}, …)` : listOf(labels);
  // Verbs agree with how many operations the question names.
  const s = labels.length === 1 ? 's' : '';
  const field = `\`${fieldOf(f.pointer)}\``;
  const header = f.pointer.slice('header:'.length);
  const seen = ofResponses(f.observed.count, f.observed.total);
  const values = valuesPhrase(f, inputs);
  const example = f.observed.examples[0];
  const expected = Array.isArray(f.expected) ? f.expected.map(String).join(' or ') : f.expected === undefined ? undefined : String(f.expected);
  let question: string;
  switch (f.kind) {
    case 'type-mismatch':
      question = `${ops} return${s} ${field} as ${article(f.observed.types?.[0] ?? 'another type')} in ${values}; the document says ${expected ?? 'otherwise'}. Which is correct, and will it change?`;
      break;
    case 'missing-required':
      question = `${ops} leave${s} out ${field} in ${seen}; the document marks it required. When is it absent, and where do we get it then?`;
      break;
    case 'enum-mismatch':
      question = `${ops} return${s} ${field} = ${f.observed.examples.map(quote).join(', ')} in ${values}; the document allows only ${Array.isArray(f.expected) ? f.expected.join(', ') : expected}. What does ${f.observed.examples.map(quote).join(', ')} mean, and what is the complete list of values?`;
      break;
    case 'format-mismatch':
      question = `${ops} return${s} ${field} as ${f.observed.formats?.[0] ?? 'another format'}${example === undefined ? '' : ` (e.g. ${quote(example)})`} in ${values}; the document says format ${expected}. Which format should we expect, and is it the same for every record?`;
      break;
    case 'unexpected-null':
      question = `${ops} return${s} ${field} as null in ${values}; the document does not allow null. Can it be null, and what does null mean?`;
      break;
    case 'constraint-violation': {
      const m = /breaks (.+?), observed (.+?) in \d+ of/.exec(f.message);
      question = `${ops} return${s} ${field} with ${m?.[2] ?? 'values'} where the document says ${m?.[1] ?? 'otherwise'}, in ${values}. Are such values valid, and what is the real rule?`;
      break;
    }
    case 'invalid-body':
      question = `${ops} returned a body that could not be read as ${f.contentType ?? 'its content type'} in ${seen} (${f.message}). Is this a known fault, and how should a client recover?`;
      break;
    case 'undocumented-operation':
      question = `We saw ${ops} answer ${f.status ?? ''} although the document does not list it. Is it supported for integrators, and will it stay?`;
      break;
    case 'undocumented-status':
      question = `${ops} answered ${f.status}${contentTypes(group)}, which the document does not list. When does it happen, and how long should a client wait before retrying (is Retry-After always sent)?`;
      break;
    case 'undocumented-content-type':
      question = `${ops} answer${s} ${f.contentType}; the document lists ${expected ?? 'another media type'}. Is ${f.contentType} the stable contract, and when is each sent?`;
      break;
    case 'undocumented-property':
      question = `${ops} return${s} ${field}${example === undefined ? '' : ` (e.g. ${quote(example)})`}, which the document does not describe. What is it, and can we rely on it?`;
      break;
    case 'undocumented-header':
      question = `${ops} send${s} the header ${header}${example === undefined ? '' : ` (e.g. ${quote(example)})`}, which the document does not describe. What is it, and is it part of the contract?`;
      break;
    case 'missing-header':
      question = `The document says ${ops} send${s} the header ${header}, but it never did (absent in ${seen}). Is it still sent?`;
      break;
    default:
      return undefined;
  }
  const operation = labelOf(f.operation);
  const id = `drift:${f.kind}:${questionKey(f).slice(f.kind.length + 1).trim().replace(/\s+/g, ':')}`;
  return { id, operation, question, evidence: evidenceOf(group) };
}

/** `9 of 80 values (4 of 4 responses)` when the data profile counted the values, else what drift has. */
function valuesPhrase(f: Finding, inputs: ReviewInputs): string {
  const responses = ofResponses(f.observed.count, f.observed.total);
  const profiled = (inputs.drift?.profile ?? []).find((p) => siteOf(p) === siteOf(f) && (p.kind === 'numeric-string' || p.kind === 'mixed-formats'));
  if (profiled !== undefined && f.observed.occurrences !== undefined) return `${count(f.observed.occurrences)} of ${count(profiled.observed.total)} values (${responses})`;
  if (f.observed.occurrences !== undefined) return `${count(f.observed.occurrences)} values (${responses})`;
  return responses;
}

function evidenceOf(group: Finding[]): string {
  const lines = group.slice(0, 6).map((g) => {
    // Headers and whole bodies (statuses, content types) are described by the message itself.
    const examples = g.observed.examples.length > 0 && g.pointer !== '' && !g.pointer.startsWith('header:') ? `; examples: ${g.observed.examples.slice(0, 3).map(quote).join(', ')}` : '';
    return `${labelOf(g.operation)}${g.status === undefined ? '' : ` ${g.status}`}: ${g.message}${examples}`;
  });
  if (group.length > 6) lines.push(`… and ${group.length - 6} more operations`);
  return lines.join('\n');
}

function limitsQuestions(inputs: ReviewInputs): VendorQuestion[] {
  const finding = inputs.limits?.findings.find((f) => f.kind === 'limit-disagreement');
  if (finding === undefined) return [];
  const d = finding.documented ?? {};
  const o = finding.observed ?? {};
  const batch = inputs.batch === undefined ? '' : ` for a ${count(inputs.batch.calls)}-call batch`;
  return [
    {
      id: 'limits:disagreement',
      question: `The document says ${d.limit ?? '?'} requests per ${windowWords(d.windowSeconds)}; the ${o.source === 'headers' ? 'rate-limit headers' : 'measurement'} say${o.source === 'headers' ? '' : 's'} ${o.limit ?? '?'} per ${windowWords(o.windowSeconds)}. Which limit applies to our client in production, and can it be raised${batch}?`,
      evidence: [finding.message, ...(d.text === undefined ? [] : [`the document: "${d.text}"${d.location === undefined ? '' : ` (${d.location})`}`]), ...(inputs.limits?.estimate.limit?.evidence ?? [])].join('\n'),
    },
  ];
}

function idempotencyQuestions(inputs: ReviewInputs): VendorQuestion[] {
  return (inputs.probe?.idempotency ?? [])
    .filter((r) => r.verdict === 'ignored' || r.verdict === 'rejected')
    .map((r) => ({
      id: `idempotency:${operationIdOf(inputs, r.operation) ?? r.operation}`,
      operation: r.operation,
      question:
        r.verdict === 'ignored'
          ? `We sent ${r.operation} twice with the same ${r.header} and got two records. Is the ${r.header} supported on this operation? If not, how should a client retry a create safely?`
          : `${r.operation} rejects the ${r.header} header (statuses ${r.statuses.join(', ')}). How should a client retry it safely?`,
      evidence: `statuses ${r.statuses.join(', ')}: ${r.detail}`,
    }));
}

function profileQuestions(inputs: ReviewInputs): VendorQuestion[] {
  const contradicted = new Set((inputs.drift?.findings ?? []).filter((f) => f.severity === 'error').map(siteOf));
  const questions: VendorQuestion[] = [];
  for (const p of inputs.drift?.profile ?? []) {
    const label = labelOf(p.operation);
    const field = fieldOf(p.pointer);
    const id = `profile:${p.kind}:${p.operation.operationId ?? operationIdOf(inputs, label) ?? label}:${field}`;
    if (p.kind === 'non-unique-key') {
      const records = recordsOf(p.operation.path);
      const n = numberWord(p.observed.count);
      questions.push({
        id,
        operation: label,
        question: `${n[0]!.toUpperCase()}${n.slice(1)} ${records} share one \`${field}\` (${p.observed.examples.map(quote).join(', ')}). Is ${field} meant to be unique, and what identifies one ${records.replace(/s$/, '')} reliably (for subsidiaries too)?`,
        evidence: `${label}: ${p.message} (of ${count(p.observed.total)} ${records} read)`,
      });
    } else if (p.kind === 'mixed-formats' && !contradicted.has(siteOf(p))) {
      questions.push({ id, operation: label, question: `${label} returns \`${field}\` in several formats (${p.message.replace(/^.*? comes in /, '')}). Is there one canonical format we can ask for?`, evidence: `${label}: ${p.message}` });
    }
  }
  return questions;
}

function paginationQuestions(inputs: ReviewInputs): VendorQuestion[] {
  const reports = inputs.probe?.pagination ?? [];
  const questions: VendorQuestion[] = [];
  for (const r of reports) {
    if (r.claimedTotal === undefined || r.countedTotal === undefined || r.claimedTotal === r.countedTotal) continue;
    questions.push({
      id: `pagination-total:${operationIdOf(inputs, r.operation) ?? r.operation}`,
      operation: r.operation,
      question: `${r.operation} says the total is ${count(r.claimedTotal)}, but the pages hold ${count(r.countedTotal)} items. What does the total count (are some records left out of it?), and can clients rely on it to page?`,
      evidence: `${r.operation}: ${r.notes.join('; ')} (${r.pagesFollowed} pages followed)`,
    });
  }
  const disagreeing = reports.filter((r) => !r.agrees);
  if (disagreeing.length > 0) {
    const styles = [...new Set(disagreeing.map((r) => r.observed))];
    const links = (inputs.drift?.findings ?? []).filter((f) => f.pointer.toLowerCase() === 'header:link' && f.kind === 'undocumented-header');
    questions.push({
      id: 'pagination-style',
      question: `The document describes ${[...new Set(disagreeing.map((r) => r.documented))].join('/')}-based paging for ${listOf(disagreeing.map((r) => r.operation))}, but the server pages with ${styles.map(styleWords).join(' and ')}. Which is the contract clients should follow, and will the other keep working?`,
      evidence: [...disagreeing.map((r) => `${r.operation}: documented ${r.documented}, observed ${r.observed}; ${r.notes[0] ?? ''}`), ...links.slice(0, 1).map((f) => `e.g. Link: ${String(f.observed.examples[0] ?? '')}`)].join('\n'),
    });
  }
  return questions;
}

function styleWords(style: string): string {
  return style === 'link-header' ? 'a Link header (rel="next")' : `${style} paging`;
}

function contentTypes(group: Finding[]): string {
  const types = [...new Set(group.map((g) => g.contentType).filter((t): t is string => t !== undefined))];
  return types.length === 0 ? '' : ` (${types.join(', ')})`;
}

function windowWords(seconds: number | undefined): string {
  return seconds === 60 ? 'minute' : seconds === 1 ? 'second' : seconds === 3600 ? 'hour' : seconds === 86_400 ? 'day' : `${seconds ?? '?'} s`;
}

/** `A and B`, `A, B and C`. */
function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function quote(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  const line = value.replace(/\s+/g, ' ');
  return `"${line.length > 80 ? `${line.slice(0, 77)}…` : line}"`;
}
