/**
 * ShapeRecorder: folds checked exchanges into a RecordingShape. Counts are per response (a list
 * of 50 records where `price` is a string counts once), so "in 40 of 40 responses" reads the
 * same for list and single-record operations. Memory is bounded by SHAPE_DEFAULTS.
 */
import { recogniseFormat } from '../formats.js';
import type { CheckedExchange, JsonType, OperationRef } from '../types.js';
import { walkJson } from '../profile/index.js';
import { headerValueIsKept } from './headers.js';
import { SHAPE_DEFAULTS, SHAPE_FORMAT, SHAPE_VERSION, type OperationShape, type RecordingShape, type ShapeOptions, type StatusShape } from './types.js';

/** Values of properties named like personal data are never kept, enum-like or not. */
const PERSONAL = /(?:name|e-?mail|epost|phone|mobile|tel|fax|address|street|city|ssn|fnr|fodsel|birth|person|password|secret|token|key|iban|account|comment|note|description|message|text)/i;
const TYPE_BITS: JsonType[] = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

interface PropertyTally {
  present: number;
  types: Map<JsonType, number>;
  /** undefined once the property showed a value that disqualifies it as an enum. */
  values: Map<string, number> | undefined;
  overflow: boolean;
}

interface StatusTally {
  samples: number;
  bodies: number;
  mediaTypes: Map<string, number>;
  properties: Map<string, PropertyTally>;
  headers: Map<string, number>;
  pointersCut: number;
}

interface OperationTally {
  operation: OperationRef;
  samples: number;
  statuses: Map<string, StatusTally>;
}

interface HeaderTally {
  present: number;
  value: string | undefined;
  constant: boolean;
}

/**
 * @example
 * const recorder = new ShapeRecorder();
 * for (const x of checked) recorder.add(x);
 * await writeShapeFile('release-1.shape.json', recorder.shape());
 */
export class ShapeRecorder {
  private readonly options: ShapeOptions;
  private readonly operations = new Map<string, OperationTally>();
  private readonly headers = new Map<string, HeaderTally>();
  private exchanges = 0;

  constructor(options: Partial<ShapeOptions> = {}) {
    this.options = { ...SHAPE_DEFAULTS, ...options };
  }

  add(x: CheckedExchange): void {
    this.exchanges++;
    const status = this.statusFor(x);
    status.samples++;
    const mediaType = x.mediaType ?? x.exchange.mediaType ?? '(none)';
    status.mediaTypes.set(mediaType, (status.mediaTypes.get(mediaType) ?? 0) + 1);
    this.addHeaders(x.exchange.headers, status);
    if (x.body !== undefined) {
      status.bodies++;
      this.addBody(x.body, status);
    }
  }

  shape(): RecordingShape {
    const operations: OperationShape[] = [...this.operations.values()].map((op) => ({
      operation: { ...op.operation },
      samples: op.samples,
      statuses: [...op.statuses].map(([status, tally]) => toStatusShape(status, tally)),
    }));
    const headers = [...this.headers].map(([name, h]) => ({
      name,
      present: h.present,
      ...(h.constant && h.value !== undefined ? { value: h.value } : {}),
    }));
    return { format: SHAPE_FORMAT, version: SHAPE_VERSION, exchanges: this.exchanges, operations, headers };
  }

  private statusFor(x: CheckedExchange): StatusTally {
    const key = `${x.operation.method.toUpperCase()} ${x.operation.path}`;
    let op = this.operations.get(key);
    if (op === undefined) {
      op = { operation: { ...x.operation, method: x.operation.method.toUpperCase() }, samples: 0, statuses: new Map() };
      this.operations.set(key, op);
    }
    op.samples++;
    let status = op.statuses.get(x.status);
    if (status === undefined) {
      status = { samples: 0, bodies: 0, mediaTypes: new Map(), properties: new Map(), headers: new Map(), pointersCut: 0 };
      op.statuses.set(x.status, status);
    }
    return status;
  }

  private addHeaders(list: [string, string][], status: StatusTally): void {
    // A header repeated in one response is one header whose value is the list (RFC 9110 §5.3).
    const joined = new Map<string, string>();
    for (const [rawName, value] of list) {
      const name = rawName.toLowerCase();
      const before = joined.get(name);
      joined.set(name, before === undefined ? value : `${before}, ${value}`);
    }
    for (const [name, value] of joined) {
      status.headers.set(name, (status.headers.get(name) ?? 0) + 1);
      let tally = this.headers.get(name);
      if (tally === undefined) {
        const kept = headerValueIsKept(name);
        this.headers.set(name, (tally = { present: 0, value: kept ? value : undefined, constant: kept }));
      }
      tally.present++;
      if (tally.constant && tally.value !== value) {
        tally.constant = false;
        tally.value = undefined;
      }
    }
  }

  private addBody(body: unknown, status: StatusTally): void {
    // Types seen per pointer in this response, as bits, so each response counts once.
    const seen = new Map<string, number>();
    walkJson(body, (v) => {
      let tally = status.properties.get(v.pointer);
      if (tally === undefined) {
        if (status.properties.size >= this.options.maxPointersPerResponse) {
          status.pointersCut++;
          return;
        }
        const enumLike = v.key === undefined || !PERSONAL.test(v.key);
        tally = { present: 0, types: new Map(), values: enumLike ? new Map() : undefined, overflow: false };
        status.properties.set(v.pointer, tally);
      }
      seen.set(v.pointer, (seen.get(v.pointer) ?? 0) | (1 << TYPE_BITS.indexOf(v.type)));
      if (v.type === 'string') this.addValue(tally, v.value as string);
      else if (v.type !== 'null') tally.values = undefined;
    });
    for (const [pointer, bits] of seen) {
      const tally = status.properties.get(pointer)!;
      tally.present++;
      for (let i = 0; i < TYPE_BITS.length; i++) {
        if ((bits & (1 << i)) === 0) continue;
        const type = TYPE_BITS[i]!;
        tally.types.set(type, (tally.types.get(type) ?? 0) + 1);
      }
    }
  }

  /** Keep short, unrecognised strings (codes like `open`, `backordered`) while they are few. */
  private addValue(tally: PropertyTally, value: string): void {
    const values = tally.values;
    if (values === undefined) return;
    if (value.length > this.options.maxEnumValueLength || recogniseFormat(value) !== undefined) {
      tally.values = undefined;
      return;
    }
    const count = values.get(value);
    if (count !== undefined) values.set(value, count + 1);
    else if (values.size < this.options.maxEnumValues) values.set(value, 1);
    else tally.overflow = true;
  }
}

/**
 * Values are saved only when they repeat (each seen twice on average): then they are codes like
 * `open`, not a handful of names or notes that happened to be few — the shape file must not
 * carry personal data.
 */
function repeated(p: PropertyTally): boolean {
  if (p.values === undefined || p.values.size === 0) return false;
  let seen = 0;
  for (const count of p.values.values()) seen += count;
  return seen >= 2 * p.values.size;
}

function toStatusShape(status: string, tally: StatusTally): StatusShape {
  const shape: StatusShape = {
    status,
    samples: tally.samples,
    bodies: tally.bodies,
    mediaTypes: [...tally.mediaTypes].map(([value, count]) => ({ value, count })),
    properties: [...tally.properties].map(([pointer, p]) => ({
      pointer,
      present: p.present,
      types: [...p.types].map(([type, count]) => ({ type, count })),
      ...(repeated(p) ? { values: [...p.values!].map(([value, count]) => ({ value, count })) } : {}),
      ...(repeated(p) && p.overflow ? { valuesOverflow: true } : {}),
    })),
    headers: [...tally.headers].map(([name, present]) => ({ name, present })),
  };
  if (tally.pointersCut > 0) shape.pointersCut = tally.pointersCut;
  return shape;
}
