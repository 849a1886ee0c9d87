/**
 * `runDrift`: read recordings one exchange at a time, match each to its documented operation,
 * check status, media type, headers and body against the document, and fold everything into
 * findings. Memory follows the number of distinct findings, not the number of exchanges.
 */
import { createRedactor, type Redactor } from '../http/redact/index.js';
import type { ApiSpec } from '../spec/api-spec.js';
import { appendPointer } from '../spec/pointer.js';
import type { OperationModel } from '../spec/types.js';
import { Aggregator, operationKey, type Observation } from './aggregate.js';
import { SchemaChecker } from './check/index.js';
import { foldPointer } from './fold.js';
import { isJsonMediaType, parseJsonBody, readRecording } from './recording/index.js';
import { bareMediaType, findMediaType, findResponse, headerDisplayName, STANDARD_HEADERS } from './response.js';
import { TemplateGuesser } from './template.js';
import { finishReport } from './finish.js';
import type { CheckedExchange, DriftReport, ObservedExchange, OperationRef, RecordingSummary, SchemaIssue } from './types.js';

export interface DriftOptions {
  spec: ApiSpec;
  /** HAR files, in order: `ExchangeRef.recording` indexes this list. */
  recordings: string[];
  /** Redacts the examples a report shows (default: recon's built-in credential and id rules). */
  redactor?: Redactor;
  /** Report properties the document does not declare (default true). */
  strictProperties?: boolean;
  /** Called once per checked exchange (data profile, baseline shape). */
  onChecked?: (checked: CheckedExchange) => void;
  /** Called after each recording and every 500 exchanges. */
  onProgress?: (progress: { recording: number; file: string; exchanges: number }) => void;
  signal?: AbortSignal;
}

/** The report, and what the overlay generator needs beyond it. */
export interface DriftRun {
  report: DriftReport;
  aggregator: Aggregator;
}

/** Marks a media type whose bodies a previous overlay recorded as unparseable (see overlay/). */
export const INVALID_BODY_EXTENSION = 'x-recon-invalid-body';

/**
 * @example
 * const spec = await loadSpec('specs/acme-erp.openapi.yaml');
 * const { report } = await runDrift({ spec, recordings: ['fixtures/acme.har'] });
 * report.summary.findings; // { error: 12, warning: 7, info: 3 }
 */
export async function runDrift(options: DriftOptions): Promise<DriftRun> {
  const drift = new DriftPass(options);
  const recordings: RecordingSummary[] = [];
  for (const [index, file] of options.recordings.entries()) {
    const summary: RecordingSummary = { file, exchanges: 0, checked: 0, skipped: 0 };
    recordings.push(summary);
    for await (const item of readRecording(file, index, options.signal ? { signal: options.signal } : {})) {
      summary.exchanges++;
      if ('reason' in item) {
        summary.skipped++;
        drift.aggregator.skip(item);
      } else if (drift.check(item)) {
        summary.checked++;
      } else {
        summary.skipped++;
      }
      if (summary.exchanges % 500 === 0) options.onProgress?.({ recording: index, file, exchanges: summary.exchanges });
    }
    options.onProgress?.({ recording: index, file, exchanges: summary.exchanges });
  }
  return { report: finishReport(options.spec, drift.aggregator, recordings, drift.observedOperations), aggregator: drift.aggregator };
}

class DriftPass {
  readonly aggregator: Aggregator;
  /** Documented operations seen, by `METHOD path`, with the statuses seen. */
  readonly observedOperations = new Map<string, Set<string>>();
  private readonly checker: SchemaChecker;
  private readonly guesser: TemplateGuesser;
  /** Lower-cased → as the document writes it (`x-ratelimit-limit` → `X-RateLimit-Limit`). */
  private readonly headerNames = new Map<string, string>();

  constructor(private readonly options: DriftOptions) {
    this.aggregator = new Aggregator(options.redactor ?? createRedactor());
    this.checker = new SchemaChecker(options.spec.documents, { strictProperties: options.strictProperties ?? true });
    this.guesser = new TemplateGuesser(options.spec.operations);
    for (const operation of options.spec.operations) {
      for (const response of operation.responses) for (const header of response.headers) this.headerNames.set(header.name.toLowerCase(), header.name);
    }
  }

  /** False when the exchange was skipped (its reason is counted). */
  check(x: ObservedExchange): boolean {
    const { spec } = this.options;
    const match = spec.matchOperation(x.method, x.url);
    if (match.kind === 'no-path' && match.server === undefined) {
      const servers = spec.servers.map((s) => s.url).join(', ');
      this.aggregator.skip({ ref: x.ref, method: x.method, url: x.url, reason: `matches no server URL of the document (${servers})` });
      return false;
    }
    if (match.kind !== 'matched') {
      const path = match.kind === 'method-not-documented' ? match.path : this.guesser.guess(match.relativePath);
      this.undocumentedOperation(x, { method: x.method.toLowerCase(), path });
      return true;
    }
    const operation = match.match.operation;
    const ref = operationRef(operation);
    const status = String(x.status);
    const opKey = operationKey(ref);
    let statuses = this.observedOperations.get(opKey);
    if (statuses === undefined) this.observedOperations.set(opKey, (statuses = new Set()));
    statuses.add(status);
    this.aggregator.count(opKey);
    this.aggregator.count(`${opKey}|${status}`);

    const response = findResponse(operation, status);
    const parsed = this.parse(x);
    if (response === undefined) {
      // Its headers are undocumented too: they travel with the finding (the overlay documents
      // them on the response it adds) instead of as one finding each.
      this.observe(x, { kind: 'undocumented-status', severity: 'warning', operation: ref, status, contentType: contentTypeOf(x), pointer: '', location: operation.at, headers: this.extraHeaders(x), ...bodyValue(x, parsed) });
      this.report(x, ref, true, status, parsed);
      return true;
    }
    statuses.add(response.status);
    this.checkHeaders(x, ref, status, response);
    const mediaType = x.mediaType;
    const content = findMediaType(response, mediaType);
    if (mediaType !== undefined) this.aggregator.count(`${opKey}|${status}|${mediaType}`);
    const hasBody = x.body.kind === 'text' || x.body.kind === 'binary';
    if (content === undefined) {
      if (hasBody || response.content.length > 0) {
        if (hasBody) {
          this.observe(x, { kind: 'undocumented-content-type', severity: 'warning', operation: ref, status, contentType: mediaType ?? '(none)', pointer: '', location: response.at, expected: response.content.map((c) => c.mediaType), ...bodyValue(x, parsed) });
        }
        // A vendor's `application/vnd.acme.v1+json` is still JSON: check it against the
        // documented JSON schema, so its body is not left unchecked.
        const json = response.content.find((c) => isJsonMediaType(bareMediaType(c.mediaType)));
        if (json?.schema !== undefined && parsed?.ok === true) this.checkBody(x, ref, status, mediaType, json.schema, parsed.value);
      }
      this.report(x, ref, true, status, parsed);
      return true;
    }
    if (content.schema !== undefined && isJsonMediaType(bareMediaType(content.mediaType))) {
      if (parsed === undefined || parsed.ok === false) {
        const reason = parsed === undefined ? bodyReason(x) : parsed.reason;
        if (reason !== undefined) {
          const at = { uri: response.at.uri, pointer: appendPointer(response.at.pointer, 'content', content.mediaType) };
          // Swagger 2.0 has no media type objects: its overlay marks the response.
          const known = [at.pointer, response.at.pointer].some((p) => spec.documents.valueAt({ uri: at.uri, pointer: appendPointer(p, INVALID_BODY_EXTENSION) }) !== undefined);
          this.observe(x, { kind: 'invalid-body', severity: known ? 'info' : 'error', operation: ref, status, ...(mediaType !== undefined ? { contentType: mediaType } : {}), pointer: '', location: at, detail: reason });
        }
      } else {
        this.checkBody(x, ref, status, mediaType, content.schema, parsed.value);
      }
    }
    this.report(x, ref, true, status, parsed);
    return true;
  }

  private parse(x: ObservedExchange): ReturnType<typeof parseJsonBody> | undefined {
    if (x.body.kind !== 'text' || x.mediaType === undefined || !isJsonMediaType(x.mediaType)) return undefined;
    return parseJsonBody(x.body.text);
  }

  private checkBody(x: ObservedExchange, operation: OperationRef, status: string, mediaType: string | undefined, at: { uri: string; pointer: string }, value: unknown): void {
    const result = this.checker.check(at, value);
    for (const issue of result.issues) this.observe(x, fromIssue(issue, operation, status, mediaType));
    if (result.truncated !== undefined) {
      this.aggregator.skip({ ref: x.ref, method: x.method, url: x.url, reason: `body only partly checked: ${result.truncated}` });
    }
  }

  private checkHeaders(x: ObservedExchange, operation: OperationRef, status: string, response: { headers: { name: string; required: boolean; schema?: { uri: string; pointer: string } }[]; at: { uri: string; pointer: string } }): void {
    const documented = new Map(response.headers.map((h) => [h.name.toLowerCase(), h]));
    const seen = new Set<string>();
    for (const [name, value] of x.headers) {
      seen.add(name);
      if (documented.has(name) || STANDARD_HEADERS.has(name)) continue;
      const shown = this.headerNames.get(name) ?? headerDisplayName(name);
      this.observe(x, { kind: 'undocumented-header', severity: 'warning', operation, status, pointer: `header:${shown}`, property: shown, location: response.at, value, hasValue: true });
    }
    for (const [name, header] of documented) {
      // OpenAPI 3.1 §4.8.21: Content-Type is described by the media type, not a header.
      if (name === 'content-type') continue;
      const key = `header:${header.name}`;
      if (seen.has(name)) {
        this.aggregator.count(`${operationKey(operation)}|${status}|${key}`);
      } else {
        this.observe(x, { kind: 'missing-header', severity: header.required ? 'error' : 'info', operation, status, pointer: key, property: header.name, location: { uri: response.at.uri, pointer: appendPointer(response.at.pointer, 'headers', header.name) }, expected: header.required ? 'required' : 'documented' });
      }
    }
  }

  /** Non-standard response headers, as the document spells them elsewhere. */
  private extraHeaders(x: ObservedExchange): string[] {
    const names: string[] = [];
    for (const [name] of x.headers) if (!STANDARD_HEADERS.has(name)) names.push(this.headerNames.get(name) ?? headerDisplayName(name));
    return names;
  }

  private undocumentedOperation(x: ObservedExchange, operation: OperationRef): void {
    const status = String(x.status);
    const opKey = operationKey(operation);
    this.aggregator.count(opKey);
    this.aggregator.count(`${opKey}|${status}`);
    const parsed = this.parse(x);
    this.observe(x, { kind: 'undocumented-operation', severity: 'warning', operation, status, contentType: contentTypeOf(x), pointer: '', headers: this.extraHeaders(x), ...bodyValue(x, parsed) });
    this.report(x, operation, false, status, parsed);
  }

  private observe(x: ObservedExchange, o: Omit<Observation, 'ref'>): void {
    this.aggregator.add({ ...o, ref: x.ref });
  }

  private report(x: ObservedExchange, operation: OperationRef, documented: boolean, status: string, parsed: ReturnType<typeof parseJsonBody> | undefined): void {
    if (this.options.onChecked === undefined) return;
    this.options.onChecked({
      exchange: x,
      operation,
      documented,
      status,
      ...(x.mediaType !== undefined ? { mediaType: x.mediaType } : {}),
      ...(parsed?.ok === true ? { body: parsed.value } : {}),
    });
  }
}

/** Bodyless responses have no content type to document. */
function contentTypeOf(x: ObservedExchange): string | undefined {
  if (x.body.kind === 'empty' || (x.body.kind === 'omitted' && x.mediaType === undefined)) return undefined;
  return x.mediaType ?? '(none)';
}

function operationRef(operation: OperationModel): OperationRef {
  return { method: operation.method, path: operation.path, ...(operation.operationId !== undefined ? { operationId: operation.operationId } : {}) };
}

/** The parsed body as the value an undocumented status/content type/operation infers a schema from. */
function bodyValue(x: ObservedExchange, parsed: ReturnType<typeof parseJsonBody> | undefined): Partial<Observation> {
  if (parsed?.ok === true) return { value: parsed.value, hasValue: true, infer: true };
  if (x.body.kind === 'text') return { value: x.body.text, hasValue: true, infer: true };
  return {};
}

function bodyReason(x: ObservedExchange): string | undefined {
  switch (x.body.kind) {
    case 'empty':
      return 'the body is empty, but the document describes one';
    case 'binary':
      return `the body is binary (${x.body.bytes} bytes), not ${x.mediaType ?? 'JSON'}`;
    case 'text':
      return `the body is labelled ${x.mediaType ?? 'with no content type'}, not JSON`;
    default:
      return undefined; // omitted by the recorder: nothing to say about it
  }
}

function fromIssue(issue: SchemaIssue, operation: OperationRef, status: string, mediaType: string | undefined): Omit<Observation, 'ref'> {
  const severity = issue.kind === 'undocumented-property' && issue.contradicts !== true ? 'warning' : 'error';
  const hasValue = issue.kind !== 'missing-required';
  const named = issue.kind === 'missing-required' || issue.kind === 'undocumented-property';
  const last = issue.path[issue.path.length - 1];
  const property = issue.property ?? (named && typeof last === 'string' ? last : undefined);
  return {
    kind: issue.kind,
    severity,
    operation,
    status,
    ...(mediaType !== undefined ? { contentType: mediaType } : {}),
    pointer: foldPointer(issue.path),
    keyword: issue.keyword,
    location: issue.schema,
    branch: issue.branch,
    ...(issue.expected !== undefined ? { expected: issue.expected } : {}),
    ...(property !== undefined ? { property } : {}),
    ...(hasValue ? { value: issue.value, hasValue: true } : {}),
    ...(issue.observedFormat !== undefined ? { observedFormat: issue.observedFormat } : {}),
    infer: issue.kind === 'undocumented-property',
  };
}
