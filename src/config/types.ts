/**
 * The review workspace's configuration (`recon.yaml`) after loading: secret references
 * (`${env:NAME}`, `${file:./path}`) are resolved, every default is written out, and the secret
 * values are listed so that redaction can scrub them wherever they appear.
 */

/** How a target authenticates. Secret fields hold resolved values, never references. */
export type AuthConfig =
  | { type: 'none' }
  | { type: 'apiKey'; in: 'header' | 'query'; name: string; value: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }
  | {
      type: 'oauth2-client-credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      /** Space-separated scopes to ask for. */
      scope?: string;
      audience?: string;
      /** RFC 6749 §2.3.1: credentials in the Authorization header (basic) or in the form (post). */
      authMethod: 'client_secret_basic' | 'client_secret_post';
    }
  | {
      /** RFC 7523 JWT-bearer grant, as Maskinporten uses it. */
      type: 'jwt-bearer';
      tokenUrl: string;
      /** `iss`: the client id. */
      issuer: string;
      /** `aud`: the authorisation server's identifier. */
      audience: string;
      scope: string;
      /** PEM private key (RS256) of the business certificate. */
      privateKey: string;
      /** PEM certificate (chain); when given, its DER goes into the `x5c` header. */
      certificate?: string;
      keyId?: string;
      /** Seconds between `iat` and `exp`: at most 120 (Maskinporten's rule). Default 120. */
      lifetimeSeconds: number;
      /** Optional `resource` claim (audience-restricted tokens). */
      resource?: string;
    };

export interface TlsConfig {
  /** PEM CA bundle to trust (a vendor's private CA). */
  ca?: string;
  /** PEM client certificate and key for mutual TLS. */
  cert?: string;
  key?: string;
  passphrase?: string;
  /** Default true; false only for a sandbox with a broken certificate (reported as a risk). */
  rejectUnauthorized: boolean;
}

export interface TargetConfig {
  name: string;
  baseUrl: string;
  /** The vendor's API document for this target (file or URL), relative to the config file. */
  spec?: string;
  auth: AuthConfig;
  tls: TlsConfig;
  /** Explicit write calls and idempotency checks run only when true. Default false. */
  writes: boolean;
  /** Most requests a probe may make. Default 200. */
  budget: number;
  /** Concurrent requests. Default 2. */
  concurrency: number;
  /** Most requests per second recon itself sends. Default 5. */
  rateLimit: number;
  /** Per call. Default 30. */
  timeoutSeconds: number;
  /** Largest response body kept, in bytes; the rest is counted and cut. Default 10 MiB. */
  maxResponseBytes: number;
  /** Extra headers on every call (e.g. a tenant id). */
  headers: Record<string, string>;
}

/** A call the plan names explicitly (writes need `writes: true` on the target). */
export interface ExplicitCall {
  /** The operationId, or `METHOD /path/template`. */
  operation: string;
  /** Path, query and header parameters by name. */
  parameters: Record<string, unknown>;
  /** JSON body: inline value, or read from `bodyFile` (relative to the config file). */
  body?: unknown;
  headers: Record<string, string>;
  /** Send the same request twice with one Idempotency-Key and compare (write targets only). */
  idempotencyCheck: boolean;
}

export interface ProbePlanConfig {
  /** Parameter values by name, for every operation that has such a parameter. */
  parameters: Record<string, unknown>;
  /** Per operation (operationId or `METHOD /path`): parameter values, or skip with a reason. */
  operations: Record<string, { parameters: Record<string, unknown>; skip?: string }>;
  calls: ExplicitCall[];
  /** Pages followed per list operation when detecting pagination. Default 3. */
  maxPages: number;
  /** Header used for the idempotency check. Default `Idempotency-Key`. */
  idempotencyHeader: string;
}

export interface RedactionConfig {
  /** Extra header names to redact (Authorization, Cookie, Set-Cookie, API-key headers always are). */
  headers: string[];
  /** Extra query parameter names to redact. */
  queryParams: string[];
  /** JSON paths in bodies to redact: `customer.ssn`, `items[*].iban`, `**.password`. */
  jsonPaths: string[];
}

export interface ReconConfig {
  version: 1;
  /** Where the file was read from; relative paths in it resolve against its directory. */
  file: string;
  targets: Record<string, TargetConfig>;
  probe: ProbePlanConfig;
  redaction: RedactionConfig;
  /** Where probe recordings go (`fixtures/<target>/<timestamp>.har`). Default `fixtures`. */
  recordings: string;
  /** Every secret value resolved from `${env:…}` / `${file:…}`: redaction scrubs them everywhere. */
  secrets: string[];
}
