/**
 * The plan's explicit calls: writes run only on a target with `writes: true`, and the
 * idempotency check sends the same request twice with one key and compares the answers.
 */
import { randomUUID } from 'node:crypto';
import type { ExplicitCall } from '../config/types.js';
import type { Exchange } from '../http/types.js';
import { operationLabel, type OperationModel } from '../spec/index.js';
import { headerValue } from '../http/headers.js';
import { buildRequest } from './request.js';
import { callOperation, jsonBody, operationKey, type ProbeContext } from './run.js';
import type { IdempotencyResult } from './types.js';

const SAFE = new Set(['get', 'head', 'options']);

export async function runExplicitCalls(ctx: ProbeContext, skipped: Map<OperationModel, string>): Promise<IdempotencyResult[]> {
  const results: IdempotencyResult[] = [];
  for (const call of ctx.plan.calls) {
    const operation = findOperation(ctx, call.operation);
    if (!operation) {
      ctx.problems.push({ code: 'RECON_PROBE_UNKNOWN_OPERATION', message: `probe.calls names "${call.operation}", which the document does not have (use an operationId or "METHOD /path")` });
      continue;
    }
    if (!SAFE.has(operation.method) && !ctx.target.writes) {
      skipped.set(operation, `a write, and target "${ctx.target.name}" does not allow writes (set writes: true on a sandbox target to run it)`);
      continue;
    }
    const values: Record<string, unknown> = { ...ctx.plan.parameters, ...call.parameters };
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path' && values[parameter.name] === undefined) {
        const found = ctx.discovered.valueFor(operation, parameter);
        if (found !== undefined) values[parameter.name] = found;
      }
    }
    const missing = operation.parameters.filter((p) => p.required && p.in !== 'cookie' && values[p.name] === undefined).map((p) => p.name);
    if (missing.length > 0) {
      skipped.set(operation, `missing required parameter ${missing.join(', ')} for the planned call`);
      continue;
    }
    if (call.idempotencyCheck) results.push(await idempotencyCheck(ctx, operation, call, values));
    else {
      const request = buildRequest({ operation, baseUrl: ctx.target.baseUrl, values, headers: { ...ctx.target.headers, ...call.headers }, body: call.body });
      noteCreated(ctx, operation, await callOperation(ctx, operation, request, `planned call ${operationKey(operation)}`));
    }
  }
  return results;
}

function findOperation(ctx: ProbeContext, name: string): OperationModel | undefined {
  const wanted = name.trim();
  return ctx.spec.operations.find((op) => op.operationId === wanted || operationLabel(op) === wanted.replace(/^(\w+)\s+/, (m, method: string) => `${method.toUpperCase()} `));
}

async function idempotencyCheck(ctx: ProbeContext, operation: OperationModel, call: ExplicitCall, values: Record<string, unknown>): Promise<IdempotencyResult> {
  const header = ctx.plan.idempotencyHeader;
  const key = `recon-probe-${randomUUID()}`;
  const request = buildRequest({ operation, baseUrl: ctx.target.baseUrl, values, headers: { ...ctx.target.headers, ...call.headers, [header]: key }, body: call.body });
  const label = operationLabel(operation);
  const first = await callOperation(ctx, operation, request, `idempotency check 1/2 of ${operationKey(operation)}`);
  const second = first ? await callOperation(ctx, operation, request, `idempotency check 2/2 of ${operationKey(operation)}`) : undefined;
  noteCreated(ctx, operation, first);
  const statuses = [first?.response?.status ?? 0, second?.response?.status ?? 0];
  const base = { operation: label, header, statuses };
  if (!first?.response || !second?.response) return { ...base, verdict: 'inconclusive', detail: 'one of the two requests got no answer' };
  const [a, b] = [first.response.status, second.response.status];
  if (a >= 200 && a < 300 && b >= 200 && b < 300) {
    const firstId = resourceId(first);
    const secondId = resourceId(second);
    if (firstId !== undefined && secondId !== undefined && firstId !== secondId) {
      noteCreated(ctx, operation, second);
      return { ...base, verdict: 'ignored', detail: `the same ${header} created two resources (${firstId} and ${secondId}): a retry duplicates; use lookup-before-create` };
    }
    const same = first.response.body.equals(second.response.body);
    return { ...base, verdict: 'honoured', detail: firstId !== undefined ? `the replay returned the same resource (${firstId})` : same ? 'the replay returned the same body' : 'both succeeded; no id to compare, bodies differ' };
  }
  if (a >= 200 && a < 300 && b >= 400 && b < 500 && b !== 401 && b !== 403 && b !== 429) {
    return { ...base, verdict: 'rejected', detail: `the replay was refused with ${b}: retries are safe but the client must treat ${b} as "already done"` };
  }
  return { ...base, verdict: 'inconclusive', detail: `answers ${a} then ${b}` };
}

function resourceId(exchange: Exchange): string | undefined {
  const body = jsonBody(exchange) as Record<string, unknown> | undefined;
  const id = body && typeof body === 'object' ? (body.id ?? (body.data as Record<string, unknown> | undefined)?.id ?? (body.value as Record<string, unknown> | undefined)?.id) : undefined;
  if (typeof id === 'string' || typeof id === 'number') return String(id);
  return headerValue(exchange.response?.headers, 'location');
}

function noteCreated(ctx: ProbeContext, operation: OperationModel, exchange: Exchange | undefined): void {
  if (exchange?.response?.status !== 201 && !(exchange?.response && operation.method === 'post' && exchange.response.status === 200)) return;
  const id = resourceId(exchange);
  const location = headerValue(exchange.response.headers, 'location');
  ctx.created.push({ operation: operationLabel(operation), ...(id !== undefined ? { id } : {}), ...(location !== undefined ? { location } : {}) });
}
