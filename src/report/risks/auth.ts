/**
 * Auth as the review found it (what the probe showed, what the document declares) and the risks
 * that come with it: failures, and what must be ordered or issued before production.
 */
import type { ReviewInputs, ReviewModel, Risk } from '../types.js';
import type { RiskContext } from './context.js';

type AuthEntry = ReviewModel['auth'][number];

/** What a scheme needs before production, by family. */
function needs(type: string, failureStage?: string): Pick<AuthEntry, 'toOrder' | 'leadTime'> & { note?: string } {
  const t = type.toLowerCase();
  if (t === 'jwt-bearer' || t === 'mutualtls' || t.includes('mtls') || failureStage === 'tls') {
    return { toOrder: 'a business certificate (to sign the JWT or for mutual TLS)', leadTime: '1–3 weeks', note: 'a business certificate must be ordered — typical lead time 1–3 weeks' };
  }
  if (t === 'oauth2-client-credentials' || t === 'oauth2') return { toOrder: 'client credentials (client id and secret) for each environment', note: 'client credentials must be issued by the vendor' };
  if (t === 'apikey') return { toOrder: 'an API key for each environment', note: 'an API key must be issued by the vendor' };
  if (t === 'basic') return { toOrder: 'an integration user and password', note: 'an integration user must be created by the vendor or the client' };
  return {};
}

/** `oauth2` (document) and `oauth2-client-credentials` (config) are the same family. */
function family(type: string): string {
  const t = type.toLowerCase();
  if (t.startsWith('oauth2')) return 'oauth2';
  if (t === 'http' || t === 'bearer' || t === 'basic') return 'http';
  return t;
}

/**
 * @example
 * buildAuth(inputs) // [{ scheme: 'oauth2-client-credentials', type: 'oauth2-client-credentials', works: true, tokenLifetimeSeconds: 3600, toOrder: 'client credentials …', notes: […] }, { scheme: 'apiKey', … }]
 */
export function buildAuth(inputs: ReviewInputs): ReviewModel['auth'] {
  const entries: AuthEntry[] = [];
  for (const report of inputs.probe?.auth ?? []) {
    const { note, ...order } = needs(report.type, report.failure?.stage);
    const notes: string[] = [];
    if (report.ok === true) notes.push(`works: ${report.tokenRequests} token ${report.tokenRequests === 1 ? 'request' : 'requests'}, ${report.refreshes} refreshes`);
    if (report.failure !== undefined) notes.push(`failed at ${report.failure.stage}${report.failure.status === undefined ? '' : ` (${report.failure.status})`}: ${report.failure.message}`);
    if (report.grantedScopes !== undefined) notes.push(`scopes granted: ${report.grantedScopes.join(' ') || '(none)'}`);
    if (report.clockSkewSeconds !== undefined && Math.abs(report.clockSkewSeconds) >= 30) notes.push(`the token server's clock is ${report.clockSkewSeconds} s off ours`);
    if (note !== undefined) notes.push(note);
    const entry: AuthEntry = { scheme: report.scheme, type: report.type, notes, ...order };
    if (report.ok !== undefined) entry.works = report.ok;
    if (report.tokenLifetimeSeconds !== undefined) entry.tokenLifetimeSeconds = report.tokenLifetimeSeconds;
    entries.push(entry);
  }
  const tried = new Set(entries.map((e) => family(e.type)));
  for (const scheme of inputs.inventory?.securitySchemes ?? []) {
    if (tried.has(family(scheme.type))) continue;
    const { note, ...order } = needs(scheme.type);
    const notes = [`documented (${scheme.operations} operations)${inputs.probe === undefined ? '' : '; not tried by the probe'}`];
    if (scheme.description !== undefined) notes.push(scheme.description);
    if (note !== undefined) notes.push(note);
    entries.push({ scheme: scheme.name, type: scheme.type, notes, ...order });
  }
  return entries;
}

/**
 * @example
 * authRisks(ctx, buildAuth(inputs)).map((r) => r.id) // ['auth-credentials:oauth2-client-credentials']
 */
export function authRisks(_ctx: RiskContext, auth: ReviewModel['auth']): Risk[] {
  const risks: Risk[] = [];
  const oneWorks = auth.some((e) => e.works === true);
  for (const entry of auth) {
    // A documented alternative nobody tried is not needed when another scheme works.
    if (entry.works === undefined && oneWorks) continue;
    const lifetime = entry.tokenLifetimeSeconds === undefined ? [] : [`tokens live ${entry.tokenLifetimeSeconds} s`];
    if (entry.works === false) {
      risks.push({
        id: `auth-failed:${entry.scheme}`,
        severity: 'high',
        title: `Authentication with ${entry.scheme} failed`,
        evidence: entry.notes.filter((n) => n.startsWith('failed')),
        consequence: 'nothing behind it could be verified; the integration cannot start until access works',
        mitigation: 'resolve access with the vendor before quoting the rest',
        source: 'auth',
      });
    }
    if (entry.leadTime !== undefined) {
      risks.push({
        id: `auth-certificate:${entry.scheme}`,
        severity: 'medium',
        title: `${entry.scheme} needs a business certificate`,
        evidence: [`${entry.type}${entry.works === true ? ' works in the sandbox' : ''}`, ...lifetime],
        consequence: `a business certificate must be ordered — typical lead time ${entry.leadTime}: on the critical path before production`,
        mitigation: 'order the certificate at project start, in the client\'s name, for test and production',
        source: 'auth',
      });
    } else if (entry.toOrder !== undefined && entry.works !== false) {
      risks.push({
        id: `auth-credentials:${entry.scheme}`,
        severity: 'low',
        title: `${entry.scheme}: ${entry.toOrder} must be issued`,
        evidence: [`${entry.type}${entry.works === true ? ' works in the sandbox' : ' (documented)'}`, ...lifetime],
        consequence: `${entry.notes.find((n) => /must be (issued|created)/.test(n)) ?? 'credentials must be issued'}: production access depends on the vendor's onboarding`,
        mitigation: 'request production credentials at project start and store them as secrets (never in recon.yaml)',
        source: 'auth',
      });
    }
  }
  return risks;
}
