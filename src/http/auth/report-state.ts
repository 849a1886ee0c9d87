import { isTlsFailureCode } from '../client.js';
import type { TransportFailure } from '../types.js';
import { scrubAndCut } from './scrub.js';
import type { AuthFailure, AuthReport } from './types.js';

/**
 * What every provider reports; token providers fill in the token fields. `ok` follows the
 * latest outcome; `failure` is the latest failure and stays after a later success, so that a
 * passing review still shows the 403 or the token endpoint's 503 it met on the way.
 */
export class AuthReportState {
  ok: boolean | undefined = undefined;
  failure: AuthFailure | undefined = undefined;
  tokenRequests = 0;
  refreshes = 0;
  tokenLifetimeSeconds: number | undefined = undefined;
  grantedScopes: string[] | undefined = undefined;
  clockSkewSeconds: number | undefined = undefined;

  constructor(
    readonly scheme: string,
    readonly type: string,
    private readonly secrets: () => string[],
  ) {}

  /** An authorised API call's final status: 2xx shows the credentials work, 401/403 that they do not. */
  observeCall(status: number, body: string): void {
    if (status >= 200 && status < 300) {
      this.ok = true;
    } else if (status === 401 || status === 403) {
      this.ok = false;
      this.failure = {
        stage: 'call',
        status,
        body: this.scrub(body),
        message:
          status === 401
            ? 'the API answered 401 Unauthorized to an authorised call'
            : 'the API answered 403 Forbidden: the credentials were accepted but lack permission (scope?)',
      };
    }
  }

  /** An authorised call that failed below HTTP: a TLS failure is an auth finding (mTLS, CA). */
  observeTransport(failure: TransportFailure): void {
    if (!isTlsFailureCode(failure.code)) return;
    this.fail({ stage: 'tls', code: failure.code, message: failure.message });
  }

  fail(failure: AuthFailure): void {
    this.ok = false;
    this.failure = failure;
  }

  /** `text` without any secret this provider holds, cut to `max` characters. */
  scrub(text: string, max = 300): string {
    return scrubAndCut(text, this.secrets(), max);
  }

  report(): AuthReport {
    const report: AuthReport = {
      scheme: this.scheme,
      type: this.type,
      ok: this.ok,
      tokenRequests: this.tokenRequests,
      refreshes: this.refreshes,
    };
    if (this.tokenLifetimeSeconds !== undefined) report.tokenLifetimeSeconds = this.tokenLifetimeSeconds;
    if (this.grantedScopes !== undefined) report.grantedScopes = [...this.grantedScopes];
    if (this.clockSkewSeconds !== undefined) report.clockSkewSeconds = this.clockSkewSeconds;
    if (this.failure !== undefined) report.failure = { ...this.failure };
    return report;
  }
}
