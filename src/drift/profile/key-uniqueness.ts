/**
 * `non-unique-key`: a value that looks like a record's key (an organisation number, a customer
 * number, an email) but is shared by several different records — "one customer is ten
 * subsidiaries sharing an organisation number".
 *
 * A record is an object with a sibling `id`; that id is its identity, so the same customer seen
 * five times (in the list and by id) is one record, not five. Records are grouped by entity
 * family — the operation path's last literal segment, so `/customers` and `/customers/{id}` are
 * one family — and by the property's pointer relative to the record (`/data/*\/x` in a list and
 * `/x` in a get are the same `x`). Objects without an `id` take no part: nothing says whether
 * two of them are one record or two.
 */
import { recogniseFormat } from '../formats.js';
import type { ExchangeRef, Finding, JsonType } from '../types.js';
import { citeExchange, shortExample } from './evidence.js';
import { distinctKey, type DistinctKey } from './property-stats.js';
import type { DataProfileOptions, Sighting } from './types.js';

/** Names of natural keys. `*Id` is left out on purpose: beside an `id`, `customerId` is a
 * reference to another record and is expected to repeat. */
const KEY_NAME = /^(?:code|sku|orgnr|orgno|email|e-?mail|epost|uuid|guid|ean|gtin|iban)$|(?:number|nr|code|email|sku)$/i;
/** `customerNo`, `customer_no`: case matters here, or `casino` and `promo` would be keys. */
const KEY_NO = /(?:[a-z0-9]No|[_-]no)$/;
/** Codes and numbers that classify or contact rather than identify; they repeat by design. */
const NOT_KEY = /^(?:postal|post|zip|country|currency|language|lang|locale|status|state|area|region|tax|vat|unit|reason|error|type|kind|category|colou?r|size|phone|mobile|fax|tele?phone|tel|house|street|building|floor|apartment|version|response|http|promo|discount)/i;
/** References to other records: `customerId`, and `warehouseCode` / `department_code` (a code
 * naming another record; a record's own code is `code` or `sku`). */
const REFERENCE = /(?:[a-z0-9]Id|[a-z0-9]ID|_id|[a-z0-9]Code|_code)$/;
/** Measures and moments: often 95% distinct, never keys. Whole names, or camelCase/snake_case
 * suffixes, so `organization` and `reason` are not taken for `…On` and `…Son`. */
const MEASURE_WORDS = 'amount|price|total|sum|qty|quantity|count|balance|cost|weight|stock|rate|fee|score|lat|lon|lng|latitude|longitude|year|age|date|time|timestamp|created|updated|modified';
const MEASURE = new RegExp(`^(?:${MEASURE_WORDS})$|_(?:${MEASURE_WORDS}|at|on)$`, 'i');
const MEASURE_SUFFIX = new RegExp(`[a-z0-9](?:${MEASURE_WORDS.replace(/(^|\|)([a-z])/g, (_, bar: string, c: string) => bar + c.toUpperCase())}|At|On)$`);
/** Formats a key may be in when it is a candidate only by its values. */
const KEY_FORMATS = new Set([undefined, 'numeric-string', 'uuid', 'email']);
/** Free text is not a key, and a long value would make the tally large. */
const MAX_KEY_LENGTH = 200;
/** Single-record wrappers: `{data: {...}}` holds the same record a list holds at `/data/*`. */
const ENVELOPE = /^\/(?:data|result|item|record|value|content|payload|entity)(?=\/|$)/;

interface ValueEntry {
  value: unknown;
  firstId: DistinctKey;
  firstRef: ExchangeRef;
  /** Created when a second record shows the value. */
  ids?: Set<DistinctKey>;
  idsCapped?: boolean;
  refs?: ExchangeRef[];
}

export interface KeyGroup {
  key: string;
  nameCandidate: boolean;
  first: Sighting;
  values: Map<DistinctKey, ValueEntry>;
  valuesCapped: boolean;
  records: Set<DistinctKey>;
  recordsCapped: boolean;
}

/**
 * The shared value as the message shows it. The caller redacts examples, not messages, so a value
 * that may be personal (an email, a phone number, an 11-digit Norwegian national identity number)
 * is left to the examples.
 */
function messageValue(value: unknown, max: number): string {
  const format = typeof value === 'string' || typeof value === 'number' ? recogniseFormat(value) : undefined;
  const personal = format === 'email' || format === 'email-list' || format?.startsWith('phone') === true || /^\d{11}$/.test(String(value));
  return personal ? '(value in the examples)' : String(shortExample(value, max));
}

/** Whether a property name reads as a record's natural key. */
export function isKeyName(name: string): boolean {
  return (KEY_NAME.test(name) || KEY_NO.test(name)) && !NOT_KEY.test(name) && !REFERENCE.test(name);
}

/** `/customers/{id}` → `customers`; `/v1/customers` → `customers`. */
export function entityFamily(path: string): string {
  const literals = path.split('/').filter((s) => s !== '' && !s.startsWith('{') && !s.startsWith(':'));
  return literals[literals.length - 1] ?? '';
}

/** The holder's pointer relative to the record: `/data/*` → '', `/*\/lines/*` → `/lines/*`. */
export function recordPointer(holder: string): string {
  const list = /^(?:\/[^/]+)?\/\*(?=\/|$)/.exec(holder);
  if (list !== null) return holder.slice(list[0].length);
  const single = ENVELOPE.exec(holder);
  return single !== null ? holder.slice(single[0].length) : holder;
}

export class KeyUniqueness {
  private readonly groups = new Map<string, KeyGroup>();
  /** Entries (values and ids) still allowed across all groups. */
  private remaining: number;

  constructor(private readonly limits: DataProfileOptions) {
    this.remaining = limits.maxKeyEntriesTotal;
  }

  /**
   * The group a property's values are tallied in, or null when the property can never be a key
   * (the `id` itself, a reference, a measure). Resolved once per (operation, status, pointer) by
   * the caller, since it depends on nothing but the names.
   */
  groupFor(family: string, holderPointer: string, key: string, where: Sighting): KeyGroup | null {
    if (key === 'id' || REFERENCE.test(key)) return null;
    const nameCandidate = isKeyName(key);
    if (!nameCandidate && (MEASURE.test(key) || MEASURE_SUFFIX.test(key))) return null;
    const groupKey = `${family}\u0000${recordPointer(holderPointer)}\u0000${key}`;
    let group = this.groups.get(groupKey);
    if (group === undefined) {
      group = { key, nameCandidate, first: { ...where }, values: new Map(), valuesCapped: false, records: new Set(), recordsCapped: false };
      this.groups.set(groupKey, group);
    }
    return group;
  }

  /** One property value of an object; ignored unless the object has an `id`. */
  observe(group: KeyGroup, holder: Record<string, unknown>, value: unknown, type: JsonType, ref: ExchangeRef): void {
    if (type !== 'string' && type !== 'integer') return;
    if (type === 'string' && ((value as string).length === 0 || (value as string).length > MAX_KEY_LENGTH)) return;
    if (!Object.hasOwn(holder, 'id')) return;
    const id = holder['id'];
    // The id itself is the record's key: a Map keeps 10004 and "10004" apart.
    if ((typeof id !== 'string' && typeof id !== 'number') || id === '') return;
    const recordId: DistinctKey = id;
    if (!group.records.has(recordId)) {
      if (group.records.size < this.limits.maxKeyValuesPerGroup) group.records.add(recordId);
      else group.recordsCapped = true;
    }
    this.tally(group, distinctKey(value, type), value, recordId, ref);
  }

  private tally(group: KeyGroup, valueKey: DistinctKey, value: unknown, recordId: DistinctKey, ref: ExchangeRef): void {
    const entry = group.values.get(valueKey);
    if (entry === undefined) {
      if (group.values.size < this.limits.maxKeyValuesPerGroup && this.remaining > 0) {
        group.values.set(valueKey, { value, firstId: recordId, firstRef: ref });
        this.remaining--;
      } else group.valuesCapped = true;
      return;
    }
    if (entry.ids === undefined) {
      if (entry.firstId === recordId) return;
      entry.ids = new Set([entry.firstId]);
      entry.refs = [entry.firstRef];
    }
    if (entry.ids.has(recordId)) return;
    if (entry.ids.size >= this.limits.maxIdsPerValue || this.remaining <= 0) {
      entry.idsCapped = true;
      return;
    }
    entry.ids.add(recordId);
    this.remaining--;
    citeExchange(entry.refs!, ref, this.limits.exchanges);
  }

  findings(): Finding[] {
    const findings: Finding[] = [];
    for (const group of this.groups.values()) {
      const finding = this.findingFor(group);
      if (finding !== undefined) findings.push(finding);
    }
    return findings;
  }

  private findingFor(group: KeyGroup): Finding | undefined {
    const shared = [...group.values.values()].filter((e) => e.ids !== undefined).sort((a, b) => b.ids!.size - a.ids!.size);
    const top = shared[0];
    if (top === undefined) return undefined;
    if (!group.nameCandidate && !this.keyByValues(group, top.value)) return undefined;

    const count = top.ids!.size;
    const ids = [...top.ids!].slice(0, 3).map(String);
    const more = count > 3 || top.idsCapped === true ? ', …' : '';
    const others = shared.length > 1 ? `; ${shared.length - 1} more value${shared.length > 2 ? 's are' : ' is'} shared too` : '';
    const capped = group.valuesCapped ? ` (among the first ${this.limits.maxKeyValuesPerGroup.toLocaleString('en-US')} values)` : '';
    const atLeast = top.idsCapped === true ? 'at least ' : '';
    const shown = messageValue(top.value, this.limits.exampleLength);
    return {
      kind: 'non-unique-key',
      severity: 'warning',
      operation: group.first.operation,
      status: group.first.status,
      ...(group.first.contentType !== undefined ? { contentType: group.first.contentType } : {}),
      pointer: group.first.pointer,
      message: `${group.key} ${shown} is shared by ${atLeast}${count} different records (ids ${ids.join(', ')}${more})${others}${capped}`,
      observed: {
        count,
        total: group.records.size,
        examples: shared.slice(0, this.limits.examples).map((e) => shortExample(e.value, this.limits.exampleLength)),
      },
      exchanges: top.refs!.slice(0, this.limits.exchanges),
    };
  }

  /** Not named like a key, but ≥ 95% distinct over enough records, and in a key-like format. */
  private keyByValues(group: KeyGroup, sample: unknown): boolean {
    if (group.records.size < this.limits.keyMinRecords) return false;
    if (group.values.size / group.records.size < this.limits.keyDistinctRatio) return false;
    return KEY_FORMATS.has(recogniseFormat(sample as string | number));
  }
}
