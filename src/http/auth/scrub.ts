/**
 * Vendor answers quoted in an auth report (a token endpoint's error page, a 401 body) must not
 * carry secrets or personal data: the known secrets are removed, and so is anything shaped like a
 * token, a credential field, a Norwegian national identity number or an e-mail address (an auth
 * error needs none of them to be understood), before the text is cut.
 */
import { isNationalId } from '../redact/national-id.js';

const MASK = '[REDACTED]';

/** JSON or form fields that carry tokens or secrets, whatever their value. */
const SECRET_FIELDS = /("?(?:access_token|refresh_token|id_token|client_secret|assertion|password|api[_-]?key|apikey|secret|token)"?\s*[:=]\s*"?)([^"&\s,;}]+)/gi;
/** `\d{11}\d*` rather than `\d{11,}`: linear, and only runs of exactly eleven digits are checked. */
const DIGIT_RUN = /\d{11}\d*/g;
/** An e-mail address, simply: no backtracking beyond one run of each part. */
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** A JWS/JWT: three base64url parts, the first a JSON header (`eyJ` is `{"`). */
const JWT_SHAPE = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;

/**
 * @example
 * scrubAndCut('<p>bad secret s3cr3t</p>', ['s3cr3t'], 300) // '<p>bad secret [REDACTED]</p>'
 */
export function scrubAndCut(text: string, secrets: readonly string[], max = 300): string {
  // Only what can be shown is scrubbed (plus a margin, so a secret across the cut is still whole):
  // the patterns below stay cheap on a 10 MB error page.
  let clean = text.length > max + 4096 ? text.slice(0, max + 4096) : text;
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) clean = clean.split(secret).join(MASK);
  }
  clean = clean
    .replace(SECRET_FIELDS, `$1${MASK}`)
    .replace(JWT_SHAPE, MASK)
    .replace(DIGIT_RUN, (digits) => (digits.length === 11 && isNationalId(digits) ? MASK : digits))
    .replace(EMAIL, MASK);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
