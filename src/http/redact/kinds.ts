/** What a redaction marker says was removed. */
export type RedactionKind = 'header' | 'query' | 'secret' | 'jwt' | 'fnr' | 'field';

/** How many values of each kind one exchange had removed. */
export type RedactionCounts = Record<RedactionKind, number>;

export function emptyCounts(): RedactionCounts {
  return { header: 0, query: 0, secret: 0, jwt: 0, fnr: 0, field: 0 };
}

/** `<redacted:jwt>`: the marker a redacted string becomes. */
export function marker(kind: RedactionKind): string {
  return `<redacted:${kind}>`;
}
