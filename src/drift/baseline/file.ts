/**
 * Saving and loading a RecordingShape. Loading rebuilds the shape field by field from what the
 * file says, so a hand-edited or hostile file cannot smuggle extra keys (`__proto__`) in, and
 * anything malformed fails fast with the file and the field named.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { InputFailure } from '../../errors.js';
import type { JsonType, OperationRef } from '../types.js';
import {
  SHAPE_FORMAT,
  SHAPE_VERSION,
  type HeaderShape,
  type OperationShape,
  type PropertyShape,
  type RecordingShape,
  type StatusShape,
  type ValueCount,
} from './types.js';

export type ShapeFileErrorCode = 'RECON_BASELINE_UNREADABLE' | 'RECON_BASELINE_INVALID';

/** The baseline file could not be read or is not a recording shape. Exit 2 (input error). */
export class ShapeFileError extends InputFailure<ShapeFileErrorCode> {}

const JSON_TYPES = new Set<string>(['null', 'boolean', 'integer', 'number', 'string', 'array', 'object']);

/**
 * @example await writeFile('release-1.shape.json', serialiseShape(recorder.shape()));
 */
export function serialiseShape(shape: RecordingShape): string {
  return JSON.stringify(shape, null, 2) + '\n';
}

/**
 * @example const old = parseShape(await readFile('release-1.shape.json', 'utf8'), 'release-1.shape.json');
 */
export function parseShape(text: string, source = 'baseline'): RecordingShape {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ShapeFileError('RECON_BASELINE_INVALID', `${source}: not JSON (${(cause as Error).message})`, {
      cause,
      hint: 'Pass a shape saved by recon, or a HAR recording to compute one from.',
    });
  }
  const read = new Reader(source);
  const root = read.object(data, '');
  if (root['format'] !== SHAPE_FORMAT) read.fail('/format', `is not "${SHAPE_FORMAT}"`);
  if (root['version'] !== SHAPE_VERSION) read.fail('/version', `is ${JSON.stringify(root['version'])}; this recon reads version ${SHAPE_VERSION}`);
  return {
    format: SHAPE_FORMAT,
    version: SHAPE_VERSION,
    exchanges: read.count(root['exchanges'], '/exchanges'),
    operations: read.array(root['operations'], '/operations').map((op, i) => readOperation(read, op, `/operations/${i}`)),
    headers: read.array(root['headers'], '/headers').map((h, i) => readHeader(read, h, `/headers/${i}`)),
  };
}

/** @example const old = await readShapeFile('release-1.shape.json'); */
export async function readShapeFile(file: string): Promise<RecordingShape> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ShapeFileError('RECON_BASELINE_UNREADABLE', `${file}: cannot read the baseline (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  return parseShape(text, file);
}

/** @example await writeShapeFile('release-2.shape.json', recorder.shape()); */
export async function writeShapeFile(file: string, shape: RecordingShape): Promise<void> {
  await writeFile(file, serialiseShape(shape), 'utf8');
}

function readOperation(read: Reader, data: unknown, at: string): OperationShape {
  const o = read.object(data, at);
  const ref = read.object(o['operation'], `${at}/operation`);
  const operation: OperationRef = { method: read.string(ref['method'], `${at}/operation/method`), path: read.string(ref['path'], `${at}/operation/path`) };
  if (ref['operationId'] !== undefined) operation.operationId = read.string(ref['operationId'], `${at}/operation/operationId`);
  return {
    operation,
    samples: read.count(o['samples'], `${at}/samples`),
    statuses: read.array(o['statuses'], `${at}/statuses`).map((s, i) => readStatus(read, s, `${at}/statuses/${i}`)),
  };
}

function readStatus(read: Reader, data: unknown, at: string): StatusShape {
  const s = read.object(data, at);
  const status: StatusShape = {
    status: read.string(s['status'], `${at}/status`),
    samples: read.count(s['samples'], `${at}/samples`),
    bodies: read.count(s['bodies'], `${at}/bodies`),
    mediaTypes: read.array(s['mediaTypes'], `${at}/mediaTypes`).map((v, i) => readValueCount(read, v, `${at}/mediaTypes/${i}`)),
    properties: read.array(s['properties'], `${at}/properties`).map((p, i) => readProperty(read, p, `${at}/properties/${i}`)),
    headers: read.array(s['headers'], `${at}/headers`).map((h, i) => {
      const o = read.object(h, `${at}/headers/${i}`);
      return { name: read.string(o['name'], `${at}/headers/${i}/name`), present: read.count(o['present'], `${at}/headers/${i}/present`) };
    }),
  };
  if (s['pointersCut'] !== undefined) status.pointersCut = read.count(s['pointersCut'], `${at}/pointersCut`);
  return status;
}

function readProperty(read: Reader, data: unknown, at: string): PropertyShape {
  const p = read.object(data, at);
  const property: PropertyShape = {
    pointer: read.string(p['pointer'], `${at}/pointer`),
    present: read.count(p['present'], `${at}/present`),
    types: read.array(p['types'], `${at}/types`).map((t, i) => {
      const o = read.object(t, `${at}/types/${i}`);
      const type = read.string(o['type'], `${at}/types/${i}/type`);
      if (!JSON_TYPES.has(type)) read.fail(`${at}/types/${i}/type`, `is not a JSON type: ${type}`);
      return { type: type as JsonType, count: read.count(o['count'], `${at}/types/${i}/count`) };
    }),
  };
  if (p['values'] !== undefined) property.values = read.array(p['values'], `${at}/values`).map((v, i) => readValueCount(read, v, `${at}/values/${i}`));
  if (p['valuesOverflow'] === true) property.valuesOverflow = true;
  return property;
}

function readHeader(read: Reader, data: unknown, at: string): HeaderShape {
  const h = read.object(data, at);
  const header: HeaderShape = { name: read.string(h['name'], `${at}/name`), present: read.count(h['present'], `${at}/present`) };
  if (h['value'] !== undefined) header.value = read.string(h['value'], `${at}/value`);
  return header;
}

function readValueCount(read: Reader, data: unknown, at: string): ValueCount {
  const o = read.object(data, at);
  return { value: read.string(o['value'], `${at}/value`), count: read.count(o['count'], `${at}/count`) };
}

/** Typed reads that name the file and the JSON pointer of the first bad field. */
class Reader {
  constructor(private readonly source: string) {}

  fail(at: string, problem: string): never {
    throw new ShapeFileError('RECON_BASELINE_INVALID', `${this.source}: ${at === '' ? 'the document' : at} ${problem}`, {
      hint: 'Pass a shape saved by recon, or a HAR recording to compute one from.',
    });
  }

  object(value: unknown, at: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(at, 'is not an object');
    // Own properties only: an inherited `format` or `version` must not make a file valid.
    return Object.fromEntries(Object.entries(value as object).filter(([k]) => k !== '__proto__'));
  }

  array(value: unknown, at: string): unknown[] {
    if (!Array.isArray(value)) this.fail(at, 'is not an array');
    return value as unknown[];
  }

  string(value: unknown, at: string): string {
    if (typeof value !== 'string') this.fail(at, 'is not a string');
    return value as string;
  }

  count(value: unknown, at: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) this.fail(at, 'is not a count (a whole number ≥ 0)');
    return value as number;
  }
}
