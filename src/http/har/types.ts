/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the objects named as the spec names
 * them. Custom fields start with `_` (spec, "Custom Fields"); browsers and proxies add their own
 * (`_initiator`, `_resourceType`, `_transferSize`), recon adds `_recon` and `_error`.
 */

type Custom = { [field: `_${string}`]: unknown };

export interface Har {
  log: HarLog;
}

export type HarLog = Custom & {
  /** `1.2`; readers accept `1.1` as well. */
  version: string;
  creator: HarCreator;
  browser?: HarCreator;
  pages?: HarPage[];
  entries: HarEntry[];
  comment?: string;
};

export type HarCreator = Custom & { name: string; version: string; comment?: string };

export type HarPage = Custom & {
  startedDateTime: string;
  id: string;
  title: string;
  pageTimings: HarPageTimings;
  comment?: string;
};

export type HarPageTimings = Custom & { onContentLoad?: number; onLoad?: number; comment?: string };

export type HarEntry = Custom & {
  pageref?: string;
  /** ISO 8601 with time zone. */
  startedDateTime: string;
  /** Total elapsed milliseconds: the sum of the timings that are not -1 (`ssl` is inside `connect`). */
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: HarCache;
  timings: HarTimings;
  serverIPAddress?: string;
  connection?: string;
  comment?: string;
  /** recon's own notes on the exchange. */
  _recon?: HarReconFields;
};

/** What recon records beside HAR's fields, in each entry's `_recon`. */
export interface HarReconFields {
  operation?: { method: string; path: string; operationId?: string };
  purpose?: string;
  /** The response body was cut at the size cap (`response.content.comment` says where). */
  truncated?: true;
  /** How many values of each kind redaction replaced (kinds with none are left out). */
  redactions?: Partial<Record<'header' | 'query' | 'secret' | 'jwt' | 'fnr' | 'field', number>>;
  /**
   * JSON pointers, inside the request and response bodies, of numbers and booleans that
   * redaction replaced with `0` / `false` (the first 20 of `count` per body).
   */
  zeroed?: { request?: HarZeroed; response?: HarZeroed };
}

export interface HarZeroed {
  pointers: string[];
  count: number;
}

export type HarRequest = Custom & {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
  comment?: string;
};

export type HarResponse = Custom & {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  comment?: string;
  /** A transport failure instead of a response (recon: an object; Chromium: a string or null). */
  _error?: { code: string; message: string } | string | null;
};

export type HarCookie = Custom & {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  /** ISO 8601; Chromium writes `null` for a session cookie. */
  expires?: string | null;
  httpOnly?: boolean;
  secure?: boolean;
  /** Not in HAR 1.2, but Chromium and Firefox write it. */
  sameSite?: string;
  comment?: string;
};

export type HarNameValue = Custom & { name: string; value: string; comment?: string };

export type HarPostData = Custom & {
  mimeType: string;
  params?: HarParam[];
  text?: string;
  comment?: string;
  /** recon: `base64` when `text` holds a binary request body. */
  _encoding?: 'base64';
};

export type HarParam = Custom & { name: string; value?: string; fileName?: string; contentType?: string; comment?: string };

export type HarContent = Custom & {
  /** Length of the returned content in bytes (all of it, also when `text` was cut). */
  size: number;
  compression?: number;
  mimeType: string;
  text?: string;
  encoding?: string;
  comment?: string;
};

export type HarCache = Custom & {
  beforeRequest?: HarCacheEntry | null;
  afterRequest?: HarCacheEntry | null;
  comment?: string;
};

export type HarCacheEntry = Custom & { expires?: string; lastAccess: string; eTag: string; hitCount: number; comment?: string };

export type HarTimings = Custom & {
  blocked?: number;
  dns?: number;
  connect?: number;
  /** Not optional, never negative (spec: "send, wait and receive timings are not optional"). */
  send: number;
  wait: number;
  receive: number;
  ssl?: number;
  comment?: string;
};
