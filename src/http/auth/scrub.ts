/**
 * Vendor answers quoted in an auth report (a token endpoint's error page, a 401 body) must not
 * carry secrets: the known ones are removed, and so is anything shaped like a token, before
 * the text is cut.
 */

const MASK = '[REDACTED]';

/** JSON or form fields that carry tokens or secrets, whatever their value. */
const SECRET_FIELDS = /("?(?:access_token|refresh_token|id_token|client_secret|assertion|password)"?\s*[:=]\s*"?)([^"&\s,}]+)/gi;
/** A JWS/JWT: three base64url parts, the first a JSON header (`eyJ` is `{"`). */
const JWT_SHAPE = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;

/**
 * @example
 * scrubAndCut('<p>bad secret s3cr3t</p>', ['s3cr3t'], 300) // '<p>bad secret [REDACTED]</p>'
 */
export function scrubAndCut(text: string, secrets: readonly string[], max = 300): string {
  let clean = text;
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) clean = clean.split(secret).join(MASK);
  }
  clean = clean.replace(SECRET_FIELDS, `$1${MASK}`).replace(JWT_SHAPE, MASK);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
