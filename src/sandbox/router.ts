/** The /api/v1 route table: a method and a path template per operation. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiResponse } from './respond.js';
import type { SandboxState } from './state.js';

export type Scope = 'erp.read' | 'erp.write';

export interface ApiRequest {
  method: string;
  /** Decoded path parameters, by template name. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON object body of a POST; undefined otherwise. */
  body: Record<string, unknown> | undefined;
}

export type Handler = (request: ApiRequest, state: SandboxState) => ApiResponse;

export interface Route {
  method: 'GET' | 'POST';
  /** Template relative to /api/v1, e.g. `/customers/{customerId}`. */
  path: string;
  /** List calls are the ones the fault schedule may answer with 503. */
  kind: 'list' | 'detail' | 'create' | 'other';
  scope: Scope;
  handle: Handler;
  /** Documented X-Request-Id left off this operation's responses (missing-header). */
  omitRequestId?: boolean;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** `GET /customers/{customerId}`: the key of per-route counters. */
export function routeKey(route: Route): string {
  return `${route.method} ${route.path}`;
}

/**
 * Finds the route for already-decoded path segments. Routes are tried in table order, so a
 * literal segment (`/products/categories`) listed before a template wins, as OpenAPI
 * requires of concrete paths.
 */
export function matchRoute(routes: readonly Route[], method: string, segments: readonly string[]): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split('/').slice(1);
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < template.length && matched; i++) {
      const part = template[i] ?? '';
      const segment = segments[i] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        if (segment === '') matched = false;
        else params[part.slice(1, -1)] = segment;
      } else if (part !== segment) matched = false;
    }
    if (matched) return { route, params };
  }
  return undefined;
}
