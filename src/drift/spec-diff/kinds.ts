/**
 * The kinds of change `recon diff` reports, each with a stable id and whether it breaks a
 * client that reads the vendor's responses and sends it requests. Whether a kind breaks is
 * decided here, once, never at the place that finds it: a reader can audit the whole policy
 * in one table.
 */

interface KindRule {
  breaking: boolean;
  /** Why, from the client's side; shown with breaking changes. */
  why: string;
}

/**
 * @example
 * CHANGE_KINDS['response-enum-value-added']
 * // { breaking: true, why: 'a client switch without a default case breaks on the new value' }
 */
export const CHANGE_KINDS = {
  // Operations
  'operation-removed': { breaking: true, why: 'calls to it will fail' },
  'operation-added': { breaking: false, why: 'new capability; nothing calls it yet' },
  'operation-deprecated': { breaking: false, why: 'still works, but plan to move off it' },
  'operation-id-changed': { breaking: false, why: 'same method and path; only generated client names change' },
  // Parameters
  'parameter-added-required': { breaking: true, why: 'existing requests do not send it' },
  'parameter-added-optional': { breaking: false, why: 'existing requests need not send it' },
  'parameter-made-required': { breaking: true, why: 'existing requests may not send it' },
  'parameter-removed': { breaking: true, why: 'clients still send it: it is rejected or silently ignored' },
  'parameter-type-changed': { breaking: true, why: 'values clients send may no longer be accepted' },
  // Request bodies
  'request-body-made-required': { breaking: true, why: 'existing requests may send no body' },
  'request-media-type-removed': { breaking: true, why: 'clients sending this content type will be rejected' },
  'request-media-type-added': { breaking: false, why: 'an extra way to send the body' },
  'request-type-changed': { breaking: true, why: 'values clients send may no longer be accepted' },
  'request-type-widened': { breaking: false, why: 'everything accepted before is still accepted' },
  'request-enum-value-removed': { breaking: true, why: 'clients may still send the removed value' },
  'request-enum-value-added': { breaking: false, why: 'an extra value clients may send' },
  'request-property-added-required': { breaking: true, why: 'existing requests do not send it' },
  'request-property-added-optional': { breaking: false, why: 'existing requests need not send it' },
  'request-property-made-required': { breaking: true, why: 'existing requests may not send it' },
  'request-property-removed': { breaking: true, why: 'clients still send it: it is rejected or its value silently lost' },
  'request-constraint-tightened': { breaking: true, why: 'values valid before may now be rejected' },
  // Responses
  'success-status-removed': { breaking: true, why: 'clients expecting it will treat the response as an error' },
  'success-status-changed': { breaking: true, why: 'clients checking for the old status will treat the response as an error' },
  'response-status-added': { breaking: false, why: 'a newly documented outcome' },
  'response-status-removed': { breaking: false, why: 'an outcome no longer documented' },
  'response-media-type-removed': { breaking: true, why: 'clients asking for this content type get something else or an error' },
  'response-media-type-added': { breaking: false, why: 'an extra representation' },
  'response-property-removed': { breaking: true, why: 'clients reading it get nothing' },
  'response-property-added': { breaking: false, why: 'clients ignore what they do not read' },
  'response-property-made-optional': { breaking: true, why: 'clients reading it may get nothing' },
  'response-type-changed': { breaking: true, why: 'clients parse a type the vendor no longer promises' },
  'response-made-nullable': { breaking: true, why: 'a client that does not expect null may crash on it' },
  'response-enum-value-added': { breaking: true, why: 'a client switch without a default case breaks on the new value' },
  // Security and servers
  'security-added': { breaking: true, why: 'unauthenticated calls will be refused' },
  'security-changed': { breaking: true, why: 'the credentials clients send may no longer be enough' },
  'security-relaxed': { breaking: false, why: 'the credentials clients send are still enough' },
  'security-scheme-changed': { breaking: true, why: 'clients send their credentials where or how the vendor no longer looks' },
  'server-base-path-changed': { breaking: true, why: 'every URL a client builds from the old base path misses' },
} as const satisfies Record<string, KindRule>;

export type ChangeKind = keyof typeof CHANGE_KINDS;

/** @example isBreaking('operation-removed') // true */
export function isBreaking(kind: ChangeKind): boolean {
  return CHANGE_KINDS[kind].breaking;
}
