/**
 * The request pipeline on plain node:http:
 * body (1 MB limit) → route by prefix → auth → rate limit → route → scope → faults →
 * delivery faults (before or after the handler) → handler.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isPrincipal } from './auth.js';
import { parseJsonObject, readBody } from './body.js';
import { releaseName } from './data/release.js';
import { htmlServerError, unavailableBeforeCreate } from './delivery-faults.js';
import { unavailableResponse } from './faults.js';
import { rateLimitHeaders } from './rate-limit.js';
import { API_ROUTES } from './resources/index.js';
import { problem, writeResponse, type ApiResponse } from './respond.js';
import { matchRoute, routeKey, type ApiRequest } from './router.js';
import { createRandom, deriveSeed, randomUuid } from './prng.js';
import { ACME_SPEC_PATH } from './spec-path.js';
import type { SandboxState } from './state.js';

const API_PREFIX = '/api/v1';

export interface SandboxServer {
  server: Server;
  /** Cancels pending delayed responses; the server itself is closed by the caller. */
  cancelTimers(): void;
}

export function createSandboxServer(state: SandboxState): SandboxServer {
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        });

  const server = createServer((req, res) => {
    handle(req, res, state, wait).catch(() => {
      // A handler bug must not take the sandbox down; answer 500 if the socket is still there.
      writeResponse(res, problem(500, 'Internal Server Error', 'Unexpected error.'), {});
    });
  });
  // Malformed request lines and headers: answer 400 and drop the socket (Node's default).
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return {
    server,
    cancelTimers() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, state: SandboxState, wait: (ms: number) => Promise<void>): Promise<void> {
  state.requestCount++;
  const requestId = randomUuid(createRandom(deriveSeed(state.settings.seed, `request:${state.requestCount}`)));
  const baseHeaders: Record<string, string> = { 'X-Request-Id': requestId, 'X-Acme-Release': releaseName(state.settings.release) };
  const body = await readBody(req);
  if (body.kind === 'aborted') {
    res.destroy();
    return;
  }
  const send = async (response: ApiResponse, headers = baseHeaders): Promise<void> => {
    await wait(state.settings.latencyMs);
    writeResponse(res, response, headers);
  };
  if (body.kind === 'too-large') {
    const tooLarge = problem(413, 'Payload Too Large', 'The request body exceeds 1 MB.');
    return send(body.closeConnection ? { ...tooLarge, headers: { Connection: 'close' } } : tooLarge);
  }

  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
  const method = req.method ?? 'GET';

  if (path === '/oauth/token') {
    if (method !== 'POST') return send({ ...problem(405, 'Method Not Allowed', 'Use POST.'), headers: { Allow: 'POST' } });
    // Not rate-limited: clients must always be able to get a token.
    return send(state.tokens.handleTokenRequest(req.headers, body.text));
  }
  if (path === '/openapi.yaml' && method === 'GET') return send(await specResponse());
  if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) {
    return send(problem(404, 'Not Found', 'Nothing here. The API lives under /api/v1.'));
  }

  const principal = state.tokens.authenticate(req.headers);
  if (!isPrincipal(principal)) return send(principal);
  const headers = { ...baseHeaders };
  if (state.settings.rateLimit) {
    const decision = state.limiter.take(principal.rateKey);
    Object.assign(headers, rateLimitHeaders(decision));
    if (!decision.allowed) {
      // The document promises a problem+json 429; the gateway sends plain text.
      return send({ status: 429, text: 'Too Many Requests', contentType: 'text/plain', headers: { 'Retry-After': String(decision.resetSeconds) } }, headers);
    }
  }

  const segments = decodeSegments(path.slice(API_PREFIX.length));
  if (segments === undefined) return send(problem(400, 'Bad Request', 'The request path is not valid percent-encoding.'), headers);
  const match = matchRoute(API_ROUTES, method, segments);
  if (match === undefined) return send(problem(404, 'Not Found', `No route for ${method} ${path.slice(0, 200)}.`), headers);
  const { route } = match;
  if (route.omitRequestId) delete headers['X-Request-Id'];
  if (!principal.scopes.includes(route.scope)) {
    return send(problem(403, 'Forbidden', `This operation needs the scope ${route.scope}.`), headers);
  }

  let parsedBody: Record<string, unknown> | undefined;
  if (method === 'POST') {
    const parsed = parseJsonObject(body.text);
    if (!parsed.ok) return send(problem(400, 'Bad Request', parsed.message), headers);
    parsedBody = parsed.value;
  }

  const fault = state.faults.next(routeKey(route), route.kind === 'list');
  if (fault.kind === 'unavailable') return send(unavailableResponse(fault), headers);
  if (fault.kind === 'slow') await wait(fault.delayMs);

  const delivery = state.deliveryFaults.next(routeKey(route));
  if (delivery !== 'none') state.stats.countFault(delivery);
  if (delivery === 'unavailable') return send(unavailableBeforeCreate(), headers);
  if (delivery === 'server-error') return send(htmlServerError(), headers);

  const request: ApiRequest = { method, params: match.params, query, headers: req.headers, body: parsedBody };
  const before = state.stats.sizes(state.data);
  const response = route.handle(request, state);
  state.stats.countCreates(before, state.data);
  if (delivery === 'dropped') {
    // Committed, then the connection is lost: the client cannot know the create happened.
    req.socket.destroy();
    return;
  }
  if (delivery === 'slow') await wait(state.settings.deliveryFaults.slowMs);
  return send(response, headers);
}

/** `/customers/10001` → ['customers', '10001'], percent-decoded; undefined if malformed. */
function decodeSegments(path: string): string[] | undefined {
  if (path === '' || path === '/') return [];
  try {
    return path.slice(1).split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/** The documented contract, served the way vendors publish it. */
async function specResponse(): Promise<ApiResponse> {
  try {
    return { status: 200, text: await readFile(ACME_SPEC_PATH, 'utf8'), contentType: 'application/yaml' };
  } catch {
    return problem(404, 'Not Found', 'The API document is not installed.');
  }
}
