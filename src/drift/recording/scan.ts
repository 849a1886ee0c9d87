/**
 * A byte-level structural scanner that finds the array at `log.entries` in a HAR and hands out
 * each element's text, one at a time, without ever holding the whole file.
 *
 * Why not a streaming JSON parser: drift needs whole entries, and `JSON.parse` on one entry is
 * the fastest way to build it. The scanner only has to know where an entry starts and ends, which
 * needs the string state (RFC 8259 §7: `"` ends a string unless escaped by an odd run of `\`)
 * and the nesting depth. Inside strings, where most of a HAR's bytes are (bodies), it jumps from
 * quote to quote with `Buffer.indexOf`, which is native. Structural bytes are ASCII and never
 * occur inside a multi-byte UTF-8 sequence (RFC 3629 §3), so scanning bytes is safe and a
 * sequence split across chunks is reassembled simply by concatenating the entry's slices.
 *
 * Only the two objects above the entries (the root and `log`) are parsed with their keys, in any
 * order; other values there (`creator`, `pages`, custom fields) are skipped by depth. Syntax
 * inside an entry is left to `JSON.parse` of that entry, so one bad entry costs one entry.
 */
import { stringEnd, type NextBackslash } from './json-string.js';

const QUOTE = 0x22;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
/** Container kinds are checked down to this depth; deeper, only the depth is counted. */
const CHECKED_DEPTH = 4096;
/** Keys longer than this are none of `log`/`entries` and are not kept. */
const MAX_KEY_BYTES = 1024;

/** What the scanner found, in file order. Offsets are bytes from the start of the (UTF-8) text. */
export type ScanEvent =
  /** A complete element of `log.entries`: its JSON text, not yet parsed. */
  | { kind: 'entry'; index: number; offset: number; text: string }
  /** An element larger than `maxEntryBytes`: skipped, its size counted. */
  | { kind: 'oversize'; index: number; offset: number; bytes: number }
  /** The input ended inside this element. */
  | { kind: 'cut'; index: number; offset: number }
  /** The input ended between elements, before the array was closed; `index` is the next one. */
  | { kind: 'ends-between'; index: number; offset: number }
  /** The brackets stopped matching inside or after this element: nothing later can be trusted. */
  | { kind: 'broken'; index: number; offset: number; message: string };

/** The input is not a HAR the scanner can read, found before any entry was handed out. */
export class ScanError extends Error {
  constructor(
    readonly problem: 'empty' | 'syntax' | 'not-har',
    message: string,
    /** Byte offset where the problem was seen. */
    readonly offset: number,
    readonly pointer?: string,
  ) {
    super(message);
  }
}

const enum State {
  BeforeRoot,
  KeyOrEnd,
  Key,
  InKey,
  Colon,
  Value,
  SkipValue,
  AfterValue,
  FirstElement,
  Element,
  InElement,
  AfterElement,
  Done,
}

/**
 * Feed chunks with `push`, then call `end`. Each call returns the events it completed.
 *
 * @example
 * const scanner = new EntryScanner({ maxEntryBytes: 1 << 20 });
 * for await (const chunk of createReadStream(file)) for (const e of scanner.push(chunk)) use(e);
 * for (const e of scanner.end()) use(e);
 */
export class EntryScanner {
  private readonly maxEntryBytes: number;
  private state = State.BeforeRoot;
  /** 1 while in the root object, 2 while in `log`. */
  private level = 0;
  private sawLog = false;
  private sawEntries = false;
  private key = '';
  private keyParts: Buffer[] = [];
  private keyBytes = 0;
  /** Bytes before the current chunk. */
  private base = 0;

  // The value skipper: depth, string and escape state, carried across chunks.
  private depth = 0;
  private inString = false;
  /** The previous chunk ended inside a string with an odd run of backslashes. */
  private carry = false;
  private scalar = false;
  private readonly kinds = new Uint8Array(CHECKED_DEPTH);
  private mismatchAt = -1;
  private readonly nextBackslash: NextBackslash = { buf: undefined, from: 0, at: -1 };

  // The element being collected.
  private index = 0;
  private elementOffset = 0;
  private elementStart = 0;
  private slices: Buffer[] = [];
  private elementBytes = 0;

  constructor(options: { maxEntryBytes: number }) {
    this.maxEntryBytes = options.maxEntryBytes;
  }

  /** True once `log.entries` has been read to its end: the rest of the input is not needed. */
  get done(): boolean {
    return this.state === State.Done;
  }

  push(buf: Buffer): ScanEvent[] {
    const events: ScanEvent[] = [];
    const n = buf.length;
    let i = 0;
    while (i < n && this.state !== State.Done) {
      switch (this.state) {
        case State.InElement: {
          const end = this.skip(buf, i);
          if (end === -2) {
            events.push(this.broken(buf));
            break;
          }
          if (end === -1) {
            this.keepSlice(buf);
            i = n;
            break;
          }
          events.push(this.finishElement(buf, end));
          this.state = State.AfterElement;
          i = end;
          break;
        }
        case State.SkipValue:
        case State.InKey: {
          const start = i;
          const end = this.skip(buf, i);
          if (end === -2) throw this.syntax(`invalid JSON: ${this.mismatchMessage(buf)}`, this.mismatchAt);
          if (this.state === State.InKey) this.keepKey(buf, start, end === -1 ? n : end - 1);
          if (end === -1) {
            i = n;
            break;
          }
          if (this.state === State.InKey) {
            this.key = this.takeKey();
            this.state = State.Colon;
          } else {
            this.state = State.AfterValue;
          }
          i = end;
          break;
        }
        default: {
          const c = buf[i]!;
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
            i++;
            break;
          }
          i = this.token(buf, i, c, events);
        }
      }
    }
    this.base += n;
    return events;
  }

  /** The input has ended. */
  end(): ScanEvent[] {
    const offset = this.base;
    switch (this.state) {
      case State.Done:
        return [];
      case State.BeforeRoot:
        throw new ScanError('empty', 'the file is empty', offset);
      case State.InElement:
        return [{ kind: 'cut', index: this.index, offset: this.elementOffset }];
      case State.FirstElement:
      case State.Element:
      case State.AfterElement:
        return [{ kind: 'ends-between', index: this.index, offset }];
      default:
        throw this.syntax('the file ends in the middle of the JSON (truncated?)', offset);
    }
  }

  /** One structural byte outside the skipped values; returns where to go on. */
  private token(buf: Buffer, i: number, c: number, events: ScanEvent[]): number {
    const at = this.base + i;
    switch (this.state) {
      case State.BeforeRoot:
        if (c === OPEN_OBJECT) {
          this.level = 1;
          this.state = State.KeyOrEnd;
          return i + 1;
        }
        if (c === OPEN_ARRAY || c === QUOTE || isScalarStart(c)) throw new ScanError('not-har', 'not a HAR file: the top level is not an object with "log"', at, '');
        throw this.syntax(c === 0x3c ? 'not JSON: the file looks like HTML or XML' : `not JSON: the file starts with ${describe(c)}`, at);
      case State.KeyOrEnd:
      case State.Key:
        if (c === QUOTE) {
          this.keyParts = [];
          this.keyBytes = 0;
          this.state = State.InKey;
          this.startValue(c);
          return i;
        }
        if (c === CLOSE_OBJECT && this.state === State.KeyOrEnd) return this.closeObject(at);
        throw this.syntax(`invalid JSON: expected a property name, found ${describe(c)}`, at);
      case State.Colon:
        if (c !== COLON) throw this.syntax(`invalid JSON: expected ":" after "${this.key}", found ${describe(c)}`, at);
        this.state = State.Value;
        return i + 1;
      case State.Value:
        return this.value(buf, i, c, at);
      case State.AfterValue:
        if (c === COMMA) {
          this.state = State.Key;
          return i + 1;
        }
        if (c === CLOSE_OBJECT) return this.closeObject(at);
        throw this.syntax(`invalid JSON: expected "," or "}", found ${describe(c)}`, at);
      case State.FirstElement:
      case State.Element:
        // A trailing comma before `]` is tolerated: the entries before it are intact.
        if (c === CLOSE_ARRAY) {
          this.state = State.Done;
          return i + 1;
        }
        if (c !== QUOTE && c !== OPEN_OBJECT && c !== OPEN_ARRAY && !isScalarStart(c)) {
          events.push({ kind: 'broken', index: this.index, offset: at, message: `invalid JSON: ${describe(c)} where an entry should start` });
          this.state = State.Done;
          return i;
        }
        this.elementOffset = at;
        this.elementStart = i;
        this.slices = [];
        this.elementBytes = 0;
        this.startValue(c);
        this.state = State.InElement;
        return i;
      case State.AfterElement:
        if (c === COMMA) {
          this.state = State.Element;
          return i + 1;
        }
        if (c === CLOSE_ARRAY) {
          this.state = State.Done;
          return i + 1;
        }
        events.push({ kind: 'broken', index: this.index, offset: at, message: `invalid JSON: expected "," or "]" after entry ${this.index - 1}, found ${describe(c)}` });
        this.state = State.Done;
        return i;
      default:
        return i + 1;
    }
  }

  /** A value in the root or `log` object: `log` and `entries` are entered, the rest skipped. */
  private value(buf: Buffer, i: number, c: number, at: number): number {
    if (this.level === 1 && this.key === 'log' && !this.sawLog) {
      this.sawLog = true;
      if (c !== OPEN_OBJECT) throw new ScanError('not-har', 'not a HAR file: /log is not an object', at, '/log');
      this.level = 2;
      this.state = State.KeyOrEnd;
      return i + 1;
    }
    if (this.level === 2 && this.key === 'entries' && !this.sawEntries) {
      this.sawEntries = true;
      if (c !== OPEN_ARRAY) throw new ScanError('not-har', 'not a HAR file: /log/entries is not an array', at, '/log/entries');
      this.state = State.FirstElement;
      return i + 1;
    }
    if (c !== QUOTE && c !== OPEN_OBJECT && c !== OPEN_ARRAY && !isScalarStart(c)) throw this.syntax(`invalid JSON: ${describe(c)} where a value should start`, at);
    this.startValue(c);
    this.state = State.SkipValue;
    return i;
  }

  private closeObject(at: number): never {
    if (this.level === 2) throw new ScanError('not-har', 'not a HAR file: /log has no "entries" list', at, '/log/entries');
    throw new ScanError('not-har', 'not a HAR file: no "log" object', at, '/log');
  }

  private startValue(c: number): void {
    this.depth = 0;
    this.inString = false;
    this.carry = false;
    this.scalar = c !== QUOTE && c !== OPEN_OBJECT && c !== OPEN_ARRAY;
  }

  /**
   * Skips one value from `i` (its first byte, or where the previous chunk left off). Returns the
   * offset just after it, -1 when the chunk ended first (state kept), -2 on mismatched brackets.
   */
  private skip(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.scalar) {
      for (; i < n; i++) {
        const c = buf[i]!;
        if (c === COMMA || c === CLOSE_ARRAY || c === CLOSE_OBJECT || c === COLON || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          this.scalar = false;
          return i;
        }
      }
      return -1;
    }
    const kinds = this.kinds;
    let depth = this.depth;
    // The previous chunk ended on a backslash inside a string: this chunk's first byte is escaped.
    if (this.carry) {
      this.carry = false;
      i++;
    }
    for (;;) {
      if (this.inString) {
        i = stringEnd(buf, i, this.nextBackslash);
        if (i >= n) {
          // Ends inside the string; i === n + 1 when its last byte is a backslash.
          this.carry = i > n;
          this.depth = depth;
          return -1;
        }
        this.inString = false;
        i++;
        if (depth === 0) {
          this.depth = 0;
          return i;
        }
      }
      for (; i < n; i++) {
        const c = buf[i]!;
        if (c === QUOTE) {
          this.inString = true;
          i++;
          break;
        }
        // `[` | 0x20 is `{` and `]` | 0x20 is `}`: one test for each pair.
        const folded = c | 0x20;
        if (folded === OPEN_OBJECT) {
          if (depth < CHECKED_DEPTH) kinds[depth] = c;
          depth++;
        } else if (folded === CLOSE_OBJECT) {
          depth--;
          // `}` is `{` + 2, `]` is `[` + 2.
          if (depth < CHECKED_DEPTH && kinds[depth] !== c - 2) {
            this.mismatchAt = this.base + i;
            return -2;
          }
          if (depth === 0) {
            this.depth = 0;
            return i + 1;
          }
        }
      }
      if (!this.inString) {
        this.depth = depth;
        return -1;
      }
    }
  }

  /** Keeps the key's bytes from `start` to `end` (the closing quote excluded). */
  private keepKey(buf: Buffer, start: number, end: number): void {
    const from = this.keyParts.length === 0 && this.keyBytes === 0 ? start + 1 : start;
    if (this.keyBytes <= MAX_KEY_BYTES && end > from) this.keyParts.push(buf.subarray(from, end));
    this.keyBytes += Math.max(1, end - from);
  }

  /** The key just read, unescaped; '' when it was too long to be one that matters. */
  private takeKey(): string {
    const parts = this.keyParts;
    this.keyParts = [];
    if (this.keyBytes > MAX_KEY_BYTES) return '';
    const raw = Buffer.concat(parts).toString('utf8');
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return '';
    }
  }

  private keepSlice(buf: Buffer): void {
    const part = buf.length - this.elementStart;
    this.elementBytes += part;
    if (this.elementBytes <= this.maxEntryBytes) this.slices.push(this.elementStart === 0 ? buf : buf.subarray(this.elementStart));
    else this.slices = [];
    this.elementStart = 0;
  }

  private finishElement(buf: Buffer, end: number): ScanEvent {
    const bytes = this.elementBytes + end - this.elementStart;
    const index = this.index++;
    const offset = this.elementOffset;
    let event: ScanEvent;
    if (bytes > this.maxEntryBytes) event = { kind: 'oversize', index, offset, bytes };
    else if (this.slices.length === 0) event = { kind: 'entry', index, offset, text: buf.toString('utf8', this.elementStart, end) };
    else {
      this.slices.push(buf.subarray(0, end));
      event = { kind: 'entry', index, offset, text: Buffer.concat(this.slices, bytes).toString('utf8') };
    }
    this.slices = [];
    return event;
  }

  private broken(buf: Buffer): ScanEvent {
    this.state = State.Done;
    this.slices = [];
    return { kind: 'broken', index: this.index, offset: this.mismatchAt, message: `invalid JSON: ${this.mismatchMessage(buf)}` };
  }

  private mismatchMessage(buf: Buffer): string {
    const c = buf[this.mismatchAt - this.base]!;
    return `${describe(c)} closes a bracket opened with ${describe(c === CLOSE_OBJECT ? OPEN_ARRAY : OPEN_OBJECT)}`;
  }

  private syntax(message: string, offset: number): ScanError {
    return new ScanError('syntax', message, offset);
  }
}

/** `-`, a digit, or the first letter of `true`, `false`, `null`. */
function isScalarStart(c: number): boolean {
  return c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
}

function describe(c: number): string {
  return c >= 0x21 && c < 0x7f ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
