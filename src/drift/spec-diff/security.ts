/**
 * Security requirements and server base paths: what a client needs before any call works.
 *
 * OpenAPI 3.0.3 §4.7.30: the requirement list is alternatives (any one suffices); each
 * requirement is schemes that must all be satisfied, with their scopes; `{}` in the list makes
 * the operation callable without credentials. A client holds one alternative of the old list;
 * it still works when some new alternative asks for no more schemes and scopes than that.
 */
import type { NodeRef, SecurityRequirement, SecuritySchemeModel, ServerModel } from '../../spec/index.js';
import { childRef, type DiffScope } from './scope.js';

export function compareSecurity(scope: DiffScope, before: SecurityRequirement[], after: SecurityRequirement[], at: NodeRef): void {
  if (canonical(before) === canonical(after)) return;
  const where = 'security';
  const detail = { where, before: describe(before), after: describe(after) };
  if (anonymous(after)) {
    scope.report('security-relaxed', 'new', at, `security ${describe(before)} → ${describe(after)}`, detail);
  } else if (anonymous(before)) {
    scope.report('security-added', 'new', at, `security added: ${describe(after)}`, detail);
  } else if (before.every((held) => after.some((asked) => satisfies(held, asked)))) {
    scope.report('security-relaxed', 'new', at, `security ${describe(before)} → ${describe(after)}`, detail);
  } else {
    scope.report('security-changed', 'new', at, `security ${describe(before)} → ${describe(after)}`, detail);
  }
}

/**
 * Compare where requests go: the base path of the first server (the one clients default to)
 * must still be offered. Hosts differ per environment and are configured, so only paths count.
 */
export function compareServers(scope: DiffScope, before: ServerModel[], after: ServerModel[], at: NodeRef): void {
  const was = before[0];
  if (!was || after.length === 0) return;
  if (after.some((s) => s.basePath === was.basePath)) return;
  const now = after[0]!;
  scope.report('server-base-path-changed', 'new', childRef(at, 'servers', '0'), `server base path ${was.basePath || '/'} → ${now.basePath || '/'}`, {
    where: 'servers',
    before: was.basePath || '/',
    after: now.basePath || '/',
  });
}

/**
 * A scheme kept under the same name but asking for something else: another header, another
 * HTTP scheme, another token URL. Descriptions and bearer-format hints are not compared.
 */
export function compareSecuritySchemes(scope: DiffScope, before: SecuritySchemeModel[], after: SecuritySchemeModel[], root: NodeRef): void {
  const now = new Map(after.map((s) => [s.name, s]));
  for (const old of before) {
    const scheme = now.get(old.name);
    if (!scheme) continue;
    const was = schemeFacts(old);
    const is = schemeFacts(scheme);
    // RFC 9110 §5.1: header names are case-insensitive.
    const same = (k: string) => (k === 'name' && scheme.in === 'header' ? was[k]?.toLowerCase() === is[k]?.toLowerCase() : was[k] === is[k]);
    const changed = Object.keys({ ...was, ...is }).filter((k) => !same(k));
    if (changed.length === 0) continue;
    const what = changed.map((k) => `${k} ${was[k] ?? '(none)'} → ${is[k] ?? '(none)'}`).join(', ');
    scope.report('security-scheme-changed', 'new', childRef(root, 'components', 'securitySchemes', old.name), `security scheme ${old.name}: ${what}`, {
      where: `security scheme ${old.name}`,
      before: Object.fromEntries(changed.map((k) => [k, was[k]])),
      after: Object.fromEntries(changed.map((k) => [k, is[k]])),
    });
  }
}

/** What a client's credentials depend on, flat: `type`, `in`, `name`, `flows.clientCredentials.tokenUrl`… */
function schemeFacts(scheme: SecuritySchemeModel): Record<string, string | undefined> {
  const facts: Record<string, string | undefined> = {
    type: scheme.type,
    in: scheme.in,
    name: scheme.paramName,
    scheme: scheme.scheme,
    openIdConnectUrl: scheme.openIdConnectUrl,
  };
  for (const [flow, f] of Object.entries(scheme.flows ?? {})) {
    facts[`flows.${flow}.tokenUrl`] = f.tokenUrl;
    facts[`flows.${flow}.authorizationUrl`] = f.authorizationUrl;
  }
  return facts;
}

function anonymous(requirements: SecurityRequirement[]): boolean {
  return requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0);
}

/** Does holding `held` satisfy `asked`: every scheme asked for is held, with every scope. */
function satisfies(held: SecurityRequirement, asked: SecurityRequirement): boolean {
  return Object.entries(asked).every(([scheme, scopes]) => {
    const have = held[scheme];
    return have !== undefined && scopes.every((s) => have.includes(s));
  });
}

function canonical(requirements: SecurityRequirement[]): string {
  return JSON.stringify(requirements.map(describeOne).sort());
}

function describeOne(requirement: SecurityRequirement): string {
  const parts = Object.entries(requirement)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([scheme, scopes]) => (scopes.length > 0 ? `${scheme}[${[...scopes].sort().join(' ')}]` : scheme));
  return parts.length === 0 ? 'none' : parts.join(' + ');
}

/** `oauth2[erp.read] or apiKey`; `none` when no credentials are needed. */
function describe(requirements: SecurityRequirement[]): string {
  return requirements.length === 0 ? 'none' : requirements.map(describeOne).join(' or ');
}
