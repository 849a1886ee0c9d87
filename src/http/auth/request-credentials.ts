import type { OutgoingRequest } from '../types.js';

/** The request with `name` set to `value`, replacing any header of that name (any case). */
export function withHeader(request: OutgoingRequest, name: string, value: string): OutgoingRequest {
  const lower = name.toLowerCase();
  return { ...request, headers: [...request.headers.filter(([n]) => n.toLowerCase() !== lower), [name, value]] };
}

/** The request with `name=value` appended to its query; the existing query is kept byte for byte. */
export function withQueryParameter(request: OutgoingRequest, name: string, value: string): OutgoingRequest {
  const url = new URL(request.url);
  const pair = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  url.search = url.search.length > 1 ? `${url.search}&${pair}` : `?${pair}`;
  return { ...request, url: url.toString() };
}

/** RFC 7617 / RFC 6749 §2.3.1: `Basic base64(user ":" password)`. */
export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}
