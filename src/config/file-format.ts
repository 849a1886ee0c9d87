/**
 * The shape of `recon.yaml` as written (after schema validation and reference resolution, before
 * defaults): the resolved types of ./types.ts with every defaulted key optional.
 */
import type { AuthConfig, ExplicitCall, ProbePlanConfig, RedactionConfig, TargetConfig, TlsConfig } from './types.js';

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type AuthFile =
  | Extract<AuthConfig, { type: 'none' | 'basic' | 'bearer' }>
  | Optional<Extract<AuthConfig, { type: 'apiKey' }>, 'in'>
  | Optional<Extract<AuthConfig, { type: 'oauth2-client-credentials' }>, 'authMethod'>
  | Optional<Extract<AuthConfig, { type: 'jwt-bearer' }>, 'lifetimeSeconds'>;

export type TargetFile = Partial<Omit<TargetConfig, 'name' | 'baseUrl' | 'auth' | 'tls'>> & {
  baseUrl: string;
  auth?: AuthFile;
  tls?: Partial<TlsConfig>;
};

export type CallFile = Optional<ExplicitCall, 'parameters' | 'headers' | 'idempotencyCheck'> & { bodyFile?: string };

export interface ProbeFile extends Partial<Omit<ProbePlanConfig, 'operations' | 'calls'>> {
  operations?: Record<string, { parameters?: Record<string, unknown>; skip?: string }>;
  calls?: CallFile[];
}

export interface ConfigFile {
  version: 1;
  recordings?: string;
  targets: Record<string, TargetFile>;
  probe?: ProbeFile;
  redaction?: Partial<RedactionConfig>;
}
