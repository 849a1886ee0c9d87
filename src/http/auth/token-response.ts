/**
 * Reading a token endpoint's answer (RFC 6749 §5.1 success, §5.2 error) into a token or an
 * `AuthFailure` a reviewer can act on.
 */
import { isTlsFailureCode } from '../client.js';
import { headerValue } from '../headers.js';
import type { Exchange } from '../types.js';
import type { AuthFailure } from './types.js';

export interface IssuedToken {
  accessToken: string;
  tokenType: string | undefined;
  /** `expires_in`, seconds; undefined when the server does not say. */
  expiresIn: number | undefined;
  /** `scope`, split on spaces; undefined when the server does not say (RFC 6749 §5.1: same as asked). */
  scopes: string[] | undefined;
  refreshToken: string | undefined;
}

export type TokenAnswer =
  | { ok: true; token: IssuedToken }
  /** `permanent`: asking again cannot help (bad credentials, wrong URL, not a token endpoint). */
  | { ok: false; failure: AuthFailure; permanent: boolean };

/**
 * @param scrub removes secrets from quoted vendor text and cuts it.
 */
export function readTokenResponse(exchange: Exchange, scrub: (text: string, max?: number) => string): TokenAnswer {
  const url = exchange.request.url;
  if (exchange.failure !== undefined || exchange.response === undefined) {
    const code = exchange.failure?.code ?? 'ERR_UNKNOWN';
    return {
      ok: false,
      permanent: false,
      failure: {
        stage: isTlsFailureCode(code) ? 'tls' : 'token',
        code,
        message: `token request to ${url} failed: ${code} ${scrub(exchange.failure?.message ?? '', 200)}`.trimEnd(),
      },
    };
  }
  const { status } = exchange.response;
  const text = exchange.response.body.toString('utf8');
  const contentType = headerValue(exchange.response?.headers, 'content-type') ?? 'no content type';
  const json = parseJsonObject(text);
  const fail = (message: string): TokenAnswer => ({
    ok: false,
    // RFC 9110: 408, 429 and 5xx may pass; any other answer will be the same next time.
    permanent: status < 500 && status !== 408 && status !== 429,
    failure: { stage: 'token', status, body: scrub(text), message: scrub(message, 500) },
  });

  if (status < 200 || status >= 300) {
    const oauthError = json !== undefined && typeof json.error === 'string' ? json.error : undefined;
    const description = json !== undefined && typeof json.error_description === 'string' ? ` (${json.error_description})` : '';
    const detail = oauthError !== undefined ? `: ${oauthError}${description}` : json === undefined ? ` (${contentType})` : '';
    return fail(`token endpoint ${url} answered ${status}${detail}`);
  }
  if (json === undefined) return fail(`token endpoint ${url} answered ${status} with ${contentType} instead of a JSON token`);
  if (typeof json.access_token !== 'string' || json.access_token === '') {
    return fail(`token endpoint ${url} answered ${status} without an access_token`);
  }
  return {
    ok: true,
    token: {
      accessToken: json.access_token,
      tokenType: typeof json.token_type === 'string' ? json.token_type : undefined,
      expiresIn: secondsOf(json.expires_in),
      scopes: typeof json.scope === 'string' ? json.scope.split(/\s+/).filter((s) => s !== '') : undefined,
      refreshToken: typeof json.refresh_token === 'string' && json.refresh_token !== '' ? json.refresh_token : undefined,
    },
  };
}

/**
 * Server `Date` minus our clock, whole seconds (positive: the server is ahead). An HTTP-date
 * drops the milliseconds (RFC 9110 §5.6.7), so the server's clock is, on average, half a
 * second past what it says: without that a server in step would show as -1 half the time.
 */
export function clockSkewSeconds(exchange: Exchange, now: number): number | undefined {
  const date = headerValue(exchange.response?.headers, 'date');
  const server = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isNaN(server) ? undefined : Math.round((server + 500 - now) / 1000) || 0;
}


function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `expires_in` is a number per RFC 6749 §5.1, but some servers send a numeric string. */
function secondsOf(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}
