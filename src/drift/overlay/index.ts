/**
 * The OpenAPI Overlay 1.0 document that makes the vendor's document match what was observed:
 * one or more actions per correction, each with its evidence in the description. The vendor's
 * file is never touched; applying the overlay (`recon drift --overlay`, or any Overlay 1.0 tool)
 * and diffing the same recordings again leaves no error or warning.
 *
 * @example
 * const run = await runDrift({ spec, recordings });
 * const { overlay } = generateOverlay(spec, run);
 * await writeFile('review/acme.overlay.yaml', stringify(overlay));
 */
import type { ApiSpec } from '../../spec/api-spec.js';
import type { OverlayDocument } from '../../spec/overlay/index.js';
import type { FindingEntry } from '../aggregate.js';
import type { DriftRun } from '../run.js';
import { ResponseEdits } from './responses.js';
import { SchemaEdits } from './schema-edits.js';
import { ActionSink } from './sink.js';

export interface GeneratedOverlay {
  overlay: OverlayDocument;
  /** Findings the overlay corrects, and those it cannot (with why). */
  corrected: number;
  notes: string[];
}

export function generateOverlay(spec: ApiSpec, run: DriftRun, options: { title?: string } = {}): GeneratedOverlay {
  const sink = new ActionSink(spec.specVersion, spec.document);
  const schemas = new SchemaEdits(spec.documents, spec.specVersion);
  const responses = new ResponseEdits(spec, sink);
  let corrected = 0;
  for (const entry of run.aggregator.entries.values()) {
    if (entry.severity === 'info' && entry.kind !== 'invalid-body') continue;
    if (entry.kind === 'never-observed') continue;
    const evidence = evidenceOf(entry, run.aggregator.totalFor(entry));
    const done = responses.add(entry, evidence) || schemas.add(entry, evidence);
    if (done) corrected++;
    else sink.notes.push(`${entry.kind} at ${entry.operation.method.toUpperCase()} ${entry.operation.path} ${entry.pointer}: no correction possible in ${spec.source.shown}${entry.location !== undefined && entry.location.uri !== spec.documents.root.uri ? ' (it lives in another document)' : ''}`);
  }
  responses.emit();
  schemas.emit(sink);
  const actions = sink.actions();
  return {
    overlay: {
      overlay: '1.0.0',
      info: { title: options.title ?? `Corrections to ${spec.info.title} ${spec.info.version} observed by recon drift`, version: '1.0.0' },
      extends: spec.source.location,
      actions: actions.length > 0 ? actions : [{ target: '$', description: 'Nothing to correct: the recordings match the document.', update: {} }],
    },
    corrected,
    notes: sink.notes,
  };
}

/** "getInvoice 200 /amount: type-mismatch in 9 of 80 responses (HAR 0 entries 3, 7)". */
function evidenceOf(entry: FindingEntry, total: number): string {
  const op = entry.operation.operationId ?? `${entry.operation.method.toUpperCase()} ${entry.operation.path}`;
  const where = entry.pointer === '' ? '' : ` ${entry.pointer}`;
  const exchanges = entry.exchanges.map((e) => `${e.recording}:${e.entry}`).join(', ');
  return `${op} ${entry.status ?? ''}${where}: ${entry.kind} in ${entry.responses} of ${Math.max(total, entry.responses)} responses (recording:entry ${exchanges}).`;
}
