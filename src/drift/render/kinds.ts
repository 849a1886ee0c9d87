/**
 * What each finding kind means, in a sentence: the rule descriptions of the SARIF output and the
 * legend of the Markdown report. Ids are the contract (DESIGN.md "Drift finding kinds").
 */
import type { FindingKind, ProfileKind, Severity } from '../types.js';

export interface KindDescription {
  /** One line, shown where space is short (SARIF `shortDescription`, §3.49.9). */
  short: string;
  /** The severity the kind usually has; a finding's own severity wins. */
  usual: Severity;
}

export const KIND_DESCRIPTIONS: Record<FindingKind | ProfileKind, KindDescription> = {
  'undocumented-operation': { short: 'The API answered an operation the document does not describe.', usual: 'warning' },
  'undocumented-status': { short: 'The API answered with a status code the document does not list for the operation.', usual: 'warning' },
  'undocumented-content-type': { short: 'The API answered with a media type the document does not list for the response.', usual: 'warning' },
  'invalid-body': { short: 'A response body does not parse as its documented media type.', usual: 'error' },
  'missing-required': { short: 'A property the document marks as required is absent.', usual: 'error' },
  'undocumented-property': { short: 'A property is present that the document does not describe.', usual: 'warning' },
  'type-mismatch': { short: 'A value has a JSON type the document does not allow.', usual: 'error' },
  'unexpected-null': { short: 'A value is null where the document does not allow null.', usual: 'error' },
  'enum-mismatch': { short: 'A value is outside the documented enum.', usual: 'error' },
  'format-mismatch': { short: 'A value does not match the documented format.', usual: 'error' },
  'constraint-violation': { short: 'A value breaks a documented constraint (length, range, pattern, items).', usual: 'error' },
  'undocumented-header': { short: 'A response header is sent that the document does not describe.', usual: 'warning' },
  'missing-header': { short: 'A documented response header is absent.', usual: 'error' },
  'never-observed': { short: 'A documented response was never seen in the recordings (unverified).', usual: 'info' },
  'non-unique-key': { short: 'Values that look like a key repeat across records.', usual: 'info' },
  'mixed-formats': { short: 'One field carries values in more than one format.', usual: 'info' },
  'numeric-string': { short: 'Numbers are sent as strings.', usual: 'info' },
  'empty-string-as-null': { short: 'Empty strings stand for missing values.', usual: 'info' },
};
