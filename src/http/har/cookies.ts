/**
 * HAR cookie lists from the (already redacted) Cookie and Set-Cookie headers (RFC 6265 §4.1, §5.2).
 */
import type { HeaderList } from '../types.js';
import type { HarCookie } from './types.js';

/** `Cookie: a=1; b=2` → `[{name: 'a', value: '1'}, {name: 'b', value: '2'}]`. */
export function requestCookies(headers: HeaderList): HarCookie[] {
  const cookies: HarCookie[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue;
    for (const pair of value.split(';')) {
      const trimmed = pair.trim();
      if (trimmed === '') continue;
      const eq = trimmed.indexOf('=');
      cookies.push(eq === -1 ? { name: '', value: trimmed } : { name: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim() });
    }
  }
  return cookies;
}

/** One cookie per Set-Cookie header, with its attributes. `now` resolves Max-Age. */
export function responseCookies(headers: HeaderList, now: Date): HarCookie[] {
  const cookies: HarCookie[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'set-cookie') cookies.push(parseSetCookie(value, now));
  }
  return cookies;
}

function parseSetCookie(value: string, now: Date): HarCookie {
  const [pair = '', ...attributes] = value.split(';');
  const eq = pair.indexOf('=');
  const cookie: HarCookie = eq === -1 ? { name: '', value: pair.trim() } : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const val = at === -1 ? '' : attribute.slice(at + 1).trim();
    if (key === 'path') cookie.path = val;
    else if (key === 'domain') cookie.domain = val;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'samesite') cookie.sameSite = val;
    else if (key === 'expires') {
      const time = Date.parse(val);
      if (!Number.isNaN(time) && cookie.expires === undefined) cookie.expires = new Date(time).toISOString();
    } else if (key === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
  }
  // RFC 6265 §5.3 step 3: Max-Age wins over Expires.
  if (maxAge !== undefined) cookie.expires = new Date(now.getTime() + Math.max(maxAge, 0) * 1000).toISOString();
  return cookie;
}
