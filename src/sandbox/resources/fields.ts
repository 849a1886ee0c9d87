/** Reading and checking fields of a JSON request body, collecting every error at once. */
import type { FieldError } from '../respond.js';

interface Common {
  required?: boolean;
}

export class FieldReader {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly body: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  /** Own properties only: `constructor` or `__proto__` in a body are just unknown keys. */
  raw(field: string): unknown {
    return Object.hasOwn(this.body, field) ? this.body[field] : undefined;
  }

  string(field: string, rules: Common & { maxLength?: number; pattern?: RegExp; patternText?: string } = {}): string | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null) return this.missing(field, rules.required);
    if (typeof value !== 'string') return this.fail(field, 'must be a string');
    if (rules.required && value.trim() === '') return this.fail(field, 'must not be empty');
    if (rules.maxLength !== undefined && value.length > rules.maxLength) return this.fail(field, `must be at most ${rules.maxLength} characters`);
    if (rules.pattern !== undefined && !rules.pattern.test(value)) return this.fail(field, rules.patternText ?? `must match ${rules.pattern.source}`);
    return value;
  }

  number(field: string, rules: Common & { minimum?: number; integer?: boolean } = {}): number | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null) return this.missing(field, rules.required);
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(field, 'must be a number');
    if (rules.integer && !Number.isInteger(value)) return this.fail(field, 'must be an integer');
    if (rules.minimum !== undefined && value < rules.minimum) return this.fail(field, `must be at least ${rules.minimum}`);
    return value;
  }

  boolean(field: string): boolean | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') return this.fail(field, 'must be true or false');
    return value;
  }

  /** An array of objects, each read by `readItem` with its own prefixed reader. */
  objects<T>(field: string, rules: Common & { minItems?: number; maxItems?: number }, readItem: (item: FieldReader) => T | undefined): T[] | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null) return this.missing(field, rules.required);
    if (!Array.isArray(value)) return this.fail(field, 'must be an array');
    if (rules.minItems !== undefined && value.length < rules.minItems) return this.fail(field, `must have at least ${rules.minItems} item(s)`);
    if (rules.maxItems !== undefined && value.length > rules.maxItems) return this.fail(field, `must have at most ${rules.maxItems} items`);
    const items: T[] = [];
    value.forEach((element: unknown, index) => {
      const path = `${this.prefix}${field}[${index}]`;
      if (typeof element !== 'object' || element === null || Array.isArray(element)) {
        this.errors.push({ field: path, message: 'must be an object' });
        return;
      }
      const reader = new FieldReader(element as Record<string, unknown>, `${path}.`);
      const item = readItem(reader);
      this.errors.push(...reader.errors);
      if (item !== undefined) items.push(item);
    });
    return items;
  }

  /** A nested object read by `readInner`. */
  object<T>(field: string, rules: Common, readInner: (inner: FieldReader) => T): T | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null) return this.missing(field, rules.required);
    if (typeof value !== 'object' || Array.isArray(value)) return this.fail(field, 'must be an object');
    const reader = new FieldReader(value as Record<string, unknown>, `${this.prefix}${field}.`);
    const result = readInner(reader);
    this.errors.push(...reader.errors);
    return result;
  }

  fail(field: string, message: string): undefined {
    this.errors.push({ field: `${this.prefix}${field}`, message });
    return undefined;
  }

  private missing(field: string, required: boolean | undefined): undefined {
    if (required) this.errors.push({ field: `${this.prefix}${field}`, message: 'is required' });
    return undefined;
  }
}

/** RFC 3339 full-date that is also a real calendar day. */
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isCalendarDate(text: string): boolean {
  return ISO_DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}
