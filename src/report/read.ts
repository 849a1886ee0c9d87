/**
 * `readReview`: a review folder read into {@link ReviewInputs}. Every stage is optional: a stage
 * not run becomes a `missing` line telling what to run, a file that cannot be used becomes a
 * `problems` line naming it (and the line and column of a JSON syntax error), and the report is
 * built from the rest. Only a folder that is not there is an error (exit 2).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { EntryScanner } from '../drift/recording/index.js';
import { parseRateLimitHeaders } from '../limits/index.js';
import { OperationIndex } from '../spec/index.js';
import type { Inventory } from '../spec/inventory.js';
import { HTTP_METHODS, type HttpMethod } from '../spec/types.js';
import { jsonErrorOffset, lineAndColumn } from '../text/index.js';
import { ReviewFolderError } from './errors.js';
import { REVIEW_FILES, type ReviewInputs } from './types.js';

export interface ReadReviewOptions {
  /** The workspace (where recon.yaml lives): a second place to look for recordings. Default: the review folder's parent. */
  workspace?: string;
  /** The batch to plan with the measured limit (from recon.yaml or flags), copied into the inputs. */
  batch?: ReviewInputs['batch'];
}

/** Every bound in one place: a review folder may hold a recording of any size. */
export const READ_REVIEW_DEFAULTS = {
  /** Latency samples kept per operation (the first ones, in recording order). */
  maxSamplesPerOperation: 2_000,
  /** Calls kept in the limits timeline. */
  maxTimelineCalls: 10_000,
  /** A HAR entry larger than this is skipped (bodies make entries big; timings do not need them). */
  maxEntryBytes: 64 * 1024 * 1024,
} as const;

/** What to run for each stage that is not there, in the words `missing` shows. */
const WHAT_TO_RUN = {
  inventory: 'no inventory.json: run `recon review` (or `recon spec --json`) to inventory the vendor\'s document',
  probe: 'no probe.json: run `recon probe` to call the sandbox (auth, coverage, pagination, idempotency)',
  drift: 'no drift.json: run `recon drift --out review/drift.json --format json` to compare the traffic with the document',
  overlay: 'no overlay.yaml: run `recon drift --overlay-out review/overlay.yaml` to write the corrections as an OpenAPI Overlay',
  limits: 'no limits.json: run `recon limits` to measure the rate limit',
} as const;

type JsonStage = 'inventory' | 'probe' | 'drift' | 'limits';

/**
 * @throws ReviewFolderError (exit 2) when `dir` does not exist or is not a directory.
 *
 * @example
 * const inputs = await readReview('fixtures/review/acme/review', { batch: { calls: 50_000, deadlineSeconds: 8 * 3600 } });
 * inputs.missing;                  // []
 * inputs.latencySamples?.['GET /invoices']; // [4.687, 1.983, 2.428, 2.635, 3.271]
 */
export async function readReview(dir: string, options: ReadReviewOptions = {}): Promise<ReviewInputs> {
  await checkFolder(dir);
  const inputs: ReviewInputs = { dir, missing: [], problems: [] };
  if (options.batch !== undefined) inputs.batch = options.batch;
  const workspace = options.workspace ?? dirname(resolve(dir));

  for (const stage of ['inventory', 'probe', 'drift', 'limits'] as const) {
    const read = await readJsonStage(dir, stage);
    if (read.kind === 'missing') inputs.missing.push(WHAT_TO_RUN[stage]);
    else if (read.kind === 'problem') inputs.problems.push(read.problem);
    else (inputs as unknown as Record<JsonStage, unknown>)[stage] = read.value;
  }
  const overlay = await readOverlayStage(dir);
  if (overlay.kind === 'missing') inputs.missing.push(WHAT_TO_RUN.overlay);
  else if (overlay.kind === 'problem') inputs.problems.push(overlay.problem);
  else inputs.overlay = overlay.value;

  if (inputs.limits?.recording !== undefined) {
    const file = await findRecording(inputs.limits.recording, dir, workspace);
    if (file === undefined) inputs.problems.push(`limits.json names the recording ${inputs.limits.recording}, which is not there: the limits timeline is left out`);
    else await readInto(inputs, `limits recording ${inputs.limits.recording}`, async () => (inputs.limitsTimeline = await readLimitsTimeline(file)));
  }
  if (inputs.probe?.recording !== undefined) {
    const file = await findRecording(inputs.probe.recording, dir, workspace);
    if (file === undefined) inputs.problems.push(`probe.json names the recording ${inputs.probe.recording}, which is not there: latency comes from probe.json's percentiles`);
    else await readInto(inputs, `probe recording ${inputs.probe.recording}`, async () => (inputs.latencySamples = await readLatencySamples(file, inputs.inventory)));
  }
  return inputs;
}

async function checkFolder(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ReviewFolderError('RECON_REPORT_NO_REVIEW_DIR', dir, 'no such directory', { cause: error });
    throw new ReviewFolderError('RECON_REPORT_UNREADABLE_DIR', dir, `cannot be read (${code ?? (error as Error).message})`, { cause: error });
  }
  if (!info.isDirectory()) throw new ReviewFolderError('RECON_REPORT_NOT_A_DIRECTORY', dir, 'is a file, not a review folder');
}

type StageRead<T> = { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'problem'; problem: string };

async function readText(path: string, name: string): Promise<StageRead<string>> {
  try {
    return { kind: 'ok', value: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'problem', problem: `${name}: cannot be read (${code === 'EISDIR' ? 'is a directory' : (code ?? (error as Error).message)}); left out of the report` };
  }
}

async function readJsonStage(dir: string, stage: JsonStage): Promise<StageRead<unknown>> {
  const name = REVIEW_FILES[stage];
  const text = await readText(join(dir, name), name);
  if (text.kind !== 'ok') return text;
  let value: unknown;
  try {
    value = JSON.parse(text.value);
  } catch (error) {
    const { line, column } = lineAndColumn(text.value, jsonErrorOffset(text.value));
    const detail = String((error as Error).message).split('\n')[0]!.slice(0, 120);
    return { kind: 'problem', problem: `${name}:${line}:${column}: not valid JSON (${detail}); left out of the report` };
  }
  const wrong = shapeProblem(stage, value);
  return wrong === undefined ? { kind: 'ok', value } : { kind: 'problem', problem: `${name}: ${wrong}; left out of the report` };
}

/** The fields the model reads, checked so that a file of another shape is a problem, not a crash. */
const SHAPES: Record<JsonStage, { what: string; objects: string[]; arrays: string[]; strings: string[] }> = {
  inventory: { what: 'an inventory (recon spec --json)', objects: ['source', 'counts', 'rateLimits'], arrays: ['operations', 'securitySchemes', 'gaps'], strings: ['title', 'version'] },
  probe: { what: 'a probe result (recon probe --json)', objects: ['coverage'], arrays: ['auth', 'operations', 'pagination', 'idempotency'], strings: ['target', 'baseUrl'] },
  drift: { what: 'a drift report (recon drift --format json)', objects: ['spec', 'summary'], arrays: ['findings'], strings: [] },
  limits: { what: 'a limits result (recon limits --json)', objects: ['estimate'], arrays: ['findings'], strings: ['conclusion'] },
};

function shapeProblem(stage: JsonStage, value: unknown): string | undefined {
  const shape = SHAPES[stage];
  if (!isObject(value)) return `not ${shape.what}: the top level is not an object`;
  const wrong = [
    ...shape.objects.filter((k) => !isObject(value[k])).map((k) => `"${k}" is not an object`),
    ...shape.arrays.filter((k) => !Array.isArray(value[k])).map((k) => `"${k}" is not a list`),
    ...shape.strings.filter((k) => typeof value[k] !== 'string').map((k) => `"${k}" is not a string`),
  ];
  if (wrong.length === 0) wrong.push(...elementProblems(stage, value));
  return wrong.length === 0 ? undefined : `not ${shape.what}: ${wrong.slice(0, 3).join(', ')}`;
}

/** List elements the model walks: each must have the fields it reads. */
function elementProblems(stage: JsonStage, value: Record<string, unknown>): string[] {
  const bad = (list: unknown, ok: (item: Record<string, unknown>) => boolean, name: string): string[] => {
    const index = (list as unknown[]).findIndex((item) => !isObject(item) || !ok(item));
    return index === -1 ? [] : [`${name}[${index}] is malformed`];
  };
  const operationRef = (o: unknown): boolean => isObject(o) && typeof o.method === 'string' && typeof o.path === 'string';
  const finding = (f: Record<string, unknown>): boolean => typeof f.kind === 'string' && typeof f.severity === 'string' && operationRef(f.operation) && isObject(f.observed) && typeof f.message === 'string';
  const labelled = (o: Record<string, unknown>): boolean => typeof o.operation === 'string';
  switch (stage) {
    case 'inventory':
      return bad(value.operations, operationRef, 'operations');
    case 'probe': {
      const coverage = value.coverage as Record<string, unknown>;
      if (!Array.isArray(coverage.entries)) return ['"coverage.entries" is not a list'];
      return [
        ...bad(value.operations, (o) => labelled(o) && isObject(o.statuses) && isObject(o.latencyMs), 'operations'),
        ...bad(coverage.entries, labelled, 'coverage.entries'),
        ...bad(value.pagination, (o) => labelled(o) && Array.isArray(o.notes), 'pagination'),
        ...bad(value.idempotency, labelled, 'idempotency'),
        ...bad(value.auth, (o) => typeof o.type === 'string', 'auth'),
      ];
    }
    case 'drift':
      return [...bad(value.findings, finding, 'findings'), ...(Array.isArray(value.profile) ? bad(value.profile, finding, 'profile') : [])];
    case 'limits':
      return bad(value.findings, (f) => typeof f.kind === 'string' && typeof f.message === 'string', 'findings');
  }
}

async function readOverlayStage(dir: string): Promise<StageRead<NonNullable<ReviewInputs['overlay']>>> {
  const name = REVIEW_FILES.overlay;
  const text = await readText(join(dir, name), name);
  if (text.kind !== 'ok') return text;
  const document = parseDocument(text.value, { prettyErrors: false });
  const error = document.errors[0];
  if (error !== undefined) {
    const at = lineAndColumn(text.value, error.pos[0]);
    return { kind: 'problem', problem: `${name}:${at.line}:${at.column}: not valid YAML (${error.message.split('\n')[0]}); left out of the report` };
  }
  let actions: unknown;
  try {
    // An overlay never needs many aliases; a "billion laughs" one must not expand (yaml's default is ~100).
    actions = (document.toJS({ maxAliasCount: 100 }) as { actions?: unknown } | null)?.actions;
  } catch (error) {
    return { kind: 'problem', problem: `${name}: cannot be read (${(error as Error).message.split('\n')[0]}); left out of the report` };
  }
  if (!Array.isArray(actions)) return { kind: 'problem', problem: `${name}: not an OpenAPI Overlay ("actions" is not a list); left out of the report` };
  return { kind: 'ok', value: { file: name, sha256: createHash('sha256').update(text.value).digest('hex'), actions: actions.length } };
}

/** Recordings are named relative to the review folder (probe, limits) or to the workspace. */
async function findRecording(named: string, dir: string, workspace: string): Promise<string | undefined> {
  const candidates = isAbsolute(named) ? [named] : [resolve(dir, named), resolve(workspace, named)];
  for (const candidate of candidates) if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
  return undefined;
}

async function readInto(inputs: ReviewInputs, what: string, read: () => Promise<unknown>): Promise<void> {
  try {
    await read();
  } catch (error) {
    inputs.problems.push(`${what}: cannot be read (${(error as Error).message.split('\n')[0]}); left out of the report`);
  }
}

/** The few fields of a HAR entry the report needs. */
interface EntryTimes {
  startedMs: number | undefined;
  /** Total elapsed ms (HAR `time`). */
  time: number | undefined;
  method: string;
  url: string;
  status: number;
  headers: [string, string][];
  /** `_recon.operation`, on entries recon recorded. */
  operation?: { method: string; path: string };
  purpose?: string;
}

/**
 * The entries of a HAR, one at a time, through drift's streaming scanner: the reader drift uses
 * (`readRecording`) drops `time` and `_recon`, which are all the report wants from a recording.
 */
async function* harEntries(file: string): AsyncGenerator<EntryTimes> {
  const scanner = new EntryScanner({ maxEntryBytes: READ_REVIEW_DEFAULTS.maxEntryBytes });
  const stream = createReadStream(file);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const event of scanner.push(chunk)) if (event.kind === 'entry') yield* fieldsOf(event.text);
      if (scanner.done) break;
    }
    for (const event of scanner.end()) if (event.kind === 'entry') yield* fieldsOf(event.text);
  } finally {
    stream.destroy();
  }
}

function* fieldsOf(text: string): Generator<EntryTimes> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return; // one bad entry costs one entry, as in drift
  }
  if (!isObject(raw) || !isObject(raw.request) || !isObject(raw.response)) return;
  const started = typeof raw.startedDateTime === 'string' ? Date.parse(raw.startedDateTime) : Number.NaN;
  const headers = Array.isArray(raw.response.headers)
    ? raw.response.headers.filter(isObject).map((h): [string, string] => [String(h.name), String(h.value)])
    : [];
  const recon = isObject(raw._recon) ? raw._recon : {};
  const entry: EntryTimes = {
    startedMs: Number.isFinite(started) ? started : undefined,
    time: typeof raw.time === 'number' && raw.time >= 0 ? raw.time : undefined,
    method: String(raw.request.method ?? 'GET').toUpperCase(),
    url: String(raw.request.url ?? ''),
    status: typeof raw.response.status === 'number' ? raw.response.status : 0,
    headers,
  };
  const op = recon.operation;
  if (isObject(op) && typeof op.method === 'string' && typeof op.path === 'string') entry.operation = { method: op.method.toUpperCase(), path: op.path };
  if (typeof recon.purpose === 'string') entry.purpose = recon.purpose;
  yield entry;
}

/**
 * @example
 * await readLimitsTimeline('fixtures/sandbox/limits-….har')
 * // [{ atMs: 0, status: 200, remaining: 59 }, { atMs: 7, status: 200, remaining: 58 }]
 */
export async function readLimitsTimeline(file: string): Promise<NonNullable<ReviewInputs['limitsTimeline']>> {
  const timeline: NonNullable<ReviewInputs['limitsTimeline']> = [];
  let first: number | undefined;
  for await (const entry of harEntries(file)) {
    // Token requests are not API calls: the vendor's rate limit does not count them.
    if (entry.purpose === 'token request') continue;
    if (timeline.length >= READ_REVIEW_DEFAULTS.maxTimelineCalls) break;
    first ??= entry.startedMs;
    const atMs = entry.startedMs === undefined || first === undefined ? 0 : Math.round(entry.startedMs - first);
    const reading = parseRateLimitHeaders(entry.headers, new Date(entry.startedMs ?? 0)).readings.find((r) => r.remaining !== undefined);
    timeline.push(reading?.remaining === undefined ? { atMs, status: entry.status } : { atMs, status: entry.status, remaining: reading.remaining });
  }
  return timeline;
}

/**
 * Latency (HAR `time`, ms) per `METHOD /path`: from `_recon.operation` where recon recorded it,
 * else by matching the URL against the inventory's operations and servers.
 *
 * @example
 * await readLatencySamples('fixtures/sandbox/2026-….har') // { 'GET /customers': [8.989, 3.18], … }
 */
export async function readLatencySamples(file: string, inventory?: Inventory): Promise<Record<string, number[]>> {
  const index = inventory === undefined ? undefined : operationIndex(inventory);
  const samples: Record<string, number[]> = {};
  for await (const entry of harEntries(file)) {
    if (entry.time === undefined || entry.status === 0) continue;
    let label = entry.operation === undefined ? undefined : `${entry.operation.method} ${entry.operation.path}`;
    if (label === undefined && index !== undefined && entry.purpose === undefined) {
      const found = index.match(entry.method, entry.url);
      if (found.kind === 'matched') label = `${found.match.operation.method.toUpperCase()} ${found.match.operation.path}`;
    }
    if (label === undefined) continue;
    const list = (samples[label] ??= []);
    if (list.length < READ_REVIEW_DEFAULTS.maxSamplesPerOperation) list.push(entry.time);
  }
  return samples;
}

function operationIndex(inventory: Inventory): OperationIndex<{ method: HttpMethod; path: string }> {
  const operations = inventory.operations
    .map((op) => ({ method: op.method.toLowerCase() as HttpMethod, path: op.path }))
    .filter((op) => (HTTP_METHODS as readonly string[]).includes(op.method));
  return new OperationIndex(operations, Array.isArray(inventory.servers) ? inventory.servers : []);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
