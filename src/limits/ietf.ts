/**
 * The IETF rate-limit headers (draft-ietf-httpapi-ratelimit-headers) in the three syntaxes the
 * drafts went through, all still in the field:
 *   - drafts 00–02: separate `RateLimit-Limit`, `-Remaining`, `-Reset`; quota policies as
 *     `10, 10;w=1, 1000;w=3600` inside `RateLimit-Limit` (00–01) or in `RateLimit-Policy` (02);
 *   - drafts 03–07: one Dictionary `RateLimit: limit=100, remaining=50, reset=5` with
 *     `RateLimit-Policy: 100;w=60`;
 *   - drafts 08+: named policies as RFC 8941 Lists, `RateLimit-Policy: "permin";q=50;w=60` and
 *     `RateLimit: "permin";r=50;t=30`, optionally with a partition key `pk=:base64:`.
 */
import type { RateLimitReading } from './types.js';
import { countField, displayName, listField, MAX_COUNT, optional, raw, type FieldContext } from './header-fields.js';
import { interpretReset, resetField } from './reset.js';
import { parseDictionary, parseList, type BareItem, type Member, type Parameters } from './structured-fields.js';

export function readIetf(ctx: FieldContext): RateLimitReading[] {
  const policy = parseListField(ctx, 'ratelimit-policy');
  const combined = listField(ctx, 'ratelimit');
  const structuredPolicy = policy !== undefined && policy.some(isNamed);
  const readings: RateLimitReading[] = [];
  if (combined !== undefined) {
    const list = parseList(combined);
    if (list.ok && list.value.every(isNamed)) readings.push(...readStructured(ctx, structuredPolicy ? policy : [], list.value));
    else readings.push(...readCombined(ctx, combined, structuredPolicy ? [] : (policy ?? [])));
  } else if (structuredPolicy) {
    readings.push(...readStructured(ctx, policy, []));
  }
  if (['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'].some((n) => ctx.fields.has(n))) {
    readings.push(...readSeparate(ctx, structuredPolicy || combined !== undefined ? [] : (policy ?? [])));
  }
  return readings;
}

/** Drafts 00–02. */
function readSeparate(ctx: FieldContext, policy: Member[]): RateLimitReading[] {
  const limitList = parseListField(ctx, 'ratelimit-limit') ?? [];
  const limit = limitList[0] === undefined ? undefined : quota(ctx, 'ratelimit-limit', limitList[0].kind === 'item' ? limitList[0].item : undefined);
  const quotas = [...limitList.filter((m) => m.kind === 'item' && m.params.has('w')), ...policy];
  const reset = resetField(ctx, 'ratelimit-reset');
  const current: RateLimitReading = {
    dialect: 'ietf-separate',
    ...(limit !== undefined ? { limit } : {}),
    ...optional('remaining', countField(ctx, 'ratelimit-remaining')),
    ...(reset ?? {}),
    raw: raw(ctx, ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy']),
  };
  return withPolicies(ctx, current, quotas);
}

/** Drafts 03–07. */
function readCombined(ctx: FieldContext, text: string, policy: Member[]): RateLimitReading[] {
  const dict = parseDictionary(text);
  if (!dict.ok) {
    ctx.problems.push(`RateLimit: "${text}" is not a valid structured field (RFC 8941): ${dict.error}`);
    return [];
  }
  const field = (key: string) => {
    const m = dict.value.get(key);
    return m?.kind === 'item' ? m.item : undefined;
  };
  const limit = quota(ctx, 'ratelimit', field('limit'), 'limit');
  const remaining = quota(ctx, 'ratelimit', field('remaining'), 'remaining');
  const resetItem = field('reset');
  const reset = resetItem === undefined ? undefined : interpretReset(String(resetItem.value), ctx.now, 'ratelimit', ctx.problems, 'delta-seconds');
  const current: RateLimitReading = {
    dialect: 'ietf-combined',
    ...optional('limit', limit),
    ...optional('remaining', remaining),
    ...(reset ?? {}),
    raw: raw(ctx, ['ratelimit', 'ratelimit-policy']),
  };
  return withPolicies(ctx, current, policy);
}

/** Drafts 08+: one reading per named policy, joined by name (and partition key). */
function readStructured(ctx: FieldContext, policy: Member[], current: Member[]): RateLimitReading[] {
  const readings = new Map<string, RateLimitReading>();
  const rawFields = raw(ctx, ['ratelimit', 'ratelimit-policy']);
  const keyOf = (name: string, params: Parameters) => `${name}\u0000${bytes(params.get('pk')) ?? ''}`;
  for (const member of policy) {
    if (member.kind !== 'item' || member.item.type !== 'string') continue;
    const name = member.item.value;
    const unit = member.params.get('qu');
    if (unit !== undefined && unit.value !== 'requests') {
      ctx.problems.push(`RateLimit-Policy "${name}" counts ${String(unit.value)}, not requests; recon ignores it`);
      continue;
    }
    const limit = quota(ctx, 'ratelimit-policy', member.params.get('q'), `"${name}" q`);
    const window = quota(ctx, 'ratelimit-policy', member.params.get('w'), `"${name}" w`);
    const pk = bytes(member.params.get('pk'));
    readings.set(keyOf(name, member.params), {
      dialect: 'ietf-structured',
      policy: name,
      ...optional('limit', limit),
      ...optional('windowSeconds', window),
      ...optional('partitionKey', pk),
      raw: rawFields,
    });
  }
  for (const member of current) {
    if (member.kind !== 'item' || member.item.type !== 'string') continue;
    const name = member.item.value;
    // express-rate-limit (draft 8) sends `pk` on the policy only: match on the name then.
    const key = member.params.has('pk') ? keyOf(name, member.params) : ([...readings.keys()].find((k) => k.startsWith(`${name}\u0000`)) ?? keyOf(name, member.params));
    const remaining = quota(ctx, 'ratelimit', member.params.get('r'), `"${name}" r`);
    const t = member.params.get('t');
    const reset = t === undefined ? undefined : t.type === 'integer' ? interpretReset(String(t.value), ctx.now, 'ratelimit', ctx.problems, 'delta-seconds') : badItem(ctx, 'ratelimit', `"${name}" t`, t);
    const pk = bytes(member.params.get('pk'));
    readings.set(key, {
      ...(readings.get(key) ?? { dialect: 'ietf-structured', policy: name, raw: rawFields }),
      ...optional('remaining', remaining),
      ...(reset ?? {}),
      ...optional('partitionKey', pk),
    });
  }
  return [...readings.values()];
}

/** The current reading takes the window of the policy with its quota; the other policies become readings of their own. */
function withPolicies(ctx: FieldContext, current: RateLimitReading, policies: Member[]): RateLimitReading[] {
  const others: RateLimitReading[] = [];
  for (const member of policies) {
    if (member.kind !== 'item') continue;
    const limit = quota(ctx, 'ratelimit-policy', member.item, 'quota');
    const window = quota(ctx, 'ratelimit-policy', member.params.get('w'), 'w');
    if (limit === undefined) continue;
    if (current.windowSeconds === undefined && window !== undefined && (current.limit === undefined || current.limit === limit)) {
      current.limit ??= limit;
      current.windowSeconds = window;
    } else if (!others.some((o) => o.limit === limit && o.windowSeconds === window) && !(current.limit === limit && current.windowSeconds === window)) {
      others.push({ dialect: current.dialect, limit, ...optional('windowSeconds', window), raw: current.raw });
    }
  }
  return [current, ...others];
}

function parseListField(ctx: FieldContext, name: string): Member[] | undefined {
  const text = listField(ctx, name);
  if (text === undefined) return undefined;
  const parsed = parseList(text);
  if (parsed.ok) return parsed.value;
  ctx.problems.push(`${displayName(name)}: "${text}" is not a valid structured field (RFC 8941): ${parsed.error}`);
  return undefined;
}

/** A non-negative integer item, else a problem. */
function quota(ctx: FieldContext, name: string, item: BareItem | undefined, what?: string): number | undefined {
  if (item === undefined) return undefined;
  if (item.type !== 'integer') return badItem(ctx, name, what, item);
  if (item.value < 0) {
    ctx.problems.push(`${displayName(name)}${what ? ` ${what}` : ''}: ${item.value} is negative`);
    return undefined;
  }
  if (item.value > MAX_COUNT) {
    ctx.problems.push(`${displayName(name)}${what ? ` ${what}` : ''}: ${item.value} is implausibly large`);
    return undefined;
  }
  return item.value;
}

function badItem(ctx: FieldContext, name: string, what: string | undefined, item: BareItem): undefined {
  ctx.problems.push(`${displayName(name)}${what ? ` ${what}` : ''}: expected a non-negative integer, got ${item.type} ${JSON.stringify(item.value)}`);
  return undefined;
}

function isNamed(member: Member): boolean {
  return member.kind === 'item' && member.item.type === 'string';
}

function bytes(item: BareItem | undefined): string | undefined {
  return item?.type === 'bytes' ? item.value : undefined;
}
