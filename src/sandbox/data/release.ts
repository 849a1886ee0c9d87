/**
 * The vendor's monthly releases. Release 1 is what the document describes (plus the
 * standing deviations); release 2 is the next month's deploy that nobody announced.
 */
export type Release = 1 | 2;

/** Sent as `X-Acme-Release` on every API response (undocumented-header). */
export function releaseName(release: Release): string {
  return release === 1 ? '2025.05' : '2025.06';
}
