/**
 * A connector after loading: its definition with every default written out, and everything it
 * names resolved — recon.yaml and its target, the (overlaid) vendor document, the operations,
 * and the rate limit the throttle keeps to.
 */
import type { ReconConfig, TargetConfig } from '../../config/index.js';
import type { ApiSpec, OperationModel } from '../../spec/index.js';
import type { ConnectorDefinition, RequestTemplate } from './types.js';

/**
 * Custom mapping, exported as `map` by a connector module: the request parts for one record,
 * already resolved (no templates). What it returns replaces `definition.request`; path values
 * are percent-encoded by recon, and a body is validated like a templated one.
 *
 * @example
 * export function map(record, { id, key }) {
 *   return { body: { customerId: Number(record.customer), lines: record.lines.map(toLine) } };
 * }
 */
export type RecordMapper = (record: unknown, context: { id: string; key: string }) => MappedRequest;

export interface MappedRequest {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ResolvedRateLimit {
  limit: number;
  windowSeconds: number;
  /** `connector`: its own `rateLimit`; `integration-spec`: the review's `rateLimits[0]`. */
  source: 'connector' | 'integration-spec';
  /** How the integration spec came by it (`measured`, `headers`, `documented`…), when it did. */
  provenance?: string;
}

export interface LoadedConnector {
  definition: ConnectorDefinition;
  config: ReconConfig;
  target: TargetConfig;
  spec: ApiSpec;
  operation: OperationModel;
  lookupOperation?: OperationModel;
  rateLimit: ResolvedRateLimit;
  /** The module's `map` export, when it has one (modules only). */
  map?: RecordMapper;
}

export type { RequestTemplate };
