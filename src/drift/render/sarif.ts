/**
 * The drift report as SARIF 2.1.0 (OASIS, errata 01), for GitHub code scanning and other SARIF
 * viewers. The "source file" of a result is the vendor's document: the place a correction
 * belongs.
 */
import { createHash } from 'node:crypto';
import type { NodeRef } from '../../spec/types.js';
import { FINDING_KINDS, PROFILE_KINDS, type DriftReport, type Finding, type Severity } from '../types.js';
import { documentPathResolver, type DocumentPath } from './document-path.js';
import { KIND_DESCRIPTIONS } from './kinds.js';
import { operationLabel } from './operations.js';
import { exchangeLabel } from './where.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The key under which results carry recon's own fingerprint (§3.27.17: `name/vN`). */
export const FINGERPRINT_KEY = 'reconDriftFinding/v1';

/** A line (and column) for a place in the document, when the caller has the document's text. */
export interface SarifRegion {
  startLine: number;
  startColumn?: number;
}

export interface DriftSarifOptions {
  /**
   * Where a JSON pointer lands in its file. The report has no line numbers, so without this the
   * locations carry no region (§3.29.3 allows that: the result then concerns the whole file).
   * GitHub code scanning shows region-less results at the top of the file.
   */
  regionOf?: (location: NodeRef) => SarifRegion | undefined;
}

/** §3.27.10: SARIF has no "info"; `note` is its informational level. */
const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * Render the report's findings (not the data profile: those are facts about the vendor's data,
 * with nothing to correct in the document) as a SARIF log with one run.
 *
 * @example
 * await writeFile('drift.sarif', JSON.stringify(renderDriftSarif(report), null, 2));
 */
export function renderDriftSarif(report: DriftReport, options: DriftSarifOptions = {}): SarifLog {
  const documentPath = documentPathResolver(report);
  const order = [...FINDING_KINDS, ...PROFILE_KINDS] as string[];
  const kinds = [...new Set(report.findings.map((f) => f.kind))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const rules = kinds.map((kind) => {
    const description = KIND_DESCRIPTIONS[kind];
    return {
      id: kind,
      name: kind.replace(/(^|-)([a-z])/g, (_m, _dash: string, letter: string) => letter.toUpperCase()),
      shortDescription: { text: description.short },
      defaultConfiguration: { level: LEVELS[description.usual] },
      properties: { tags: ['api-drift'] },
    };
  });

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'recon', rules } },
        results: report.findings.map((finding) => sarifResult(report, finding, kinds.indexOf(finding.kind), documentPath, options)),
        properties: {
          spec: { source: report.spec.source, title: report.spec.title, version: report.spec.version, sha256: report.spec.sha256, overlays: report.spec.overlays },
          recordings: report.recordings.map((r) => r.file),
          summary: report.summary,
        },
      },
    ],
  };
}

function sarifResult(report: DriftReport, finding: Finding, ruleIndex: number, documentPath: (uri: string | undefined) => DocumentPath, options: DriftSarifOptions) {
  const label = operationLabel(finding.operation);
  const status = finding.status === undefined ? '' : ` ${finding.status}`;
  return {
    ruleId: finding.kind,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: `${label}${status}: ${finding.message}` },
    locations: [sarifLocation(finding, documentPath, options)],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding) },
    properties: {
      operation: label,
      ...(finding.operation.operationId === undefined ? {} : { operationId: finding.operation.operationId }),
      ...(finding.status === undefined ? {} : { status: finding.status }),
      ...(finding.contentType === undefined ? {} : { contentType: finding.contentType }),
      pointer: finding.pointer,
      seen: finding.observed.count,
      samples: finding.observed.total,
      ...(finding.expected === undefined ? {} : { expected: finding.expected }),
      examples: finding.observed.examples,
      ...(finding.branch?.length ? { branch: finding.branch } : {}),
      exchanges: finding.exchanges.map((e) => exchangeLabel(report, e)),
    },
  };
}

/**
 * §3.28 location: the document file as the physical location (§3.29; region only when known),
 * and the JSON pointer both as a logical location (§3.33.5 `fullyQualifiedName`) and in the
 * physical location's property bag, where viewers that ignore logical locations still show it.
 * A finding with no place in the document (an undocumented operation) points at the root file.
 */
function sarifLocation(finding: Finding, documentPath: (uri: string | undefined) => DocumentPath, options: DriftSarifOptions) {
  const file = documentPath(finding.location?.uri);
  const region = finding.location && options.regionOf ? options.regionOf(finding.location) : undefined;
  const pointer = finding.location?.pointer;
  return {
    physicalLocation: {
      // §3.4.4: a relative uri is resolved against a base; %SRCROOT% is the conventional name for
      // "where the analysis ran", which GitHub takes as the repository root.
      artifactLocation: file.relative ? { uri: file.uri, uriBaseId: '%SRCROOT%' } : { uri: file.uri },
      ...(region ? { region } : {}),
      ...(pointer === undefined ? {} : { properties: { jsonPointer: pointer } }),
    },
    logicalLocations: [pointer === undefined ? { fullyQualifiedName: operationLabel(finding.operation), kind: 'function' } : { fullyQualifiedName: pointer, kind: 'element' }],
  };
}

/**
 * Stable across runs, so code scanning matches a result to the alert it raised before
 * (§3.27.17): the kind, the operation, the status, the media type and the pointer; never the
 * counts, examples or exchanges, which change with every recording.
 */
function fingerprint(finding: Finding): string {
  const identity = [finding.kind, finding.operation.method.toUpperCase(), finding.operation.path, finding.status ?? '', finding.contentType ?? '', finding.pointer];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

/** The part of the SARIF 2.1.0 object model recon writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; rules: { id: string; name: string; shortDescription: { text: string }; defaultConfiguration: { level: string }; properties: { tags: string[] } }[] } };
    results: ReturnType<typeof sarifResult>[];
    properties: Record<string, unknown>;
  }[];
}
