/**
 * Redacts a JSON body in place, without parsing it into objects.
 *
 * A single forward scan (RFC 8259 grammar) tracks where it is in the document and rewrites only
 * the tokens that must change, copying everything else byte for byte: formatting, key order,
 * duplicate keys and numbers too large for a double survive, `__proto__` is only ever text, and
 * a body cut at the size cap is redacted as far as it goes. Where the text stops being JSON, the
 * rest is scrubbed as plain text.
 *
 * Type-keeping rule: a string at a redacted field becomes `"<redacted:field>"`, a number `0`, a
 * boolean `false`; `null` and empty strings stay; objects and arrays keep their keys and lengths
 * and have every scalar inside redacted. An 11-digit integer that is a national id becomes `0`
 * as well. The JSON pointers of numbers and booleans so replaced are reported (`zeroed`), since
 * `0` does not say it was redacted; the HAR entry carries them in `_recon.zeroed`.
 */
import type { PathStates } from './json-path.js';
import { marker, type RedactionCounts } from './kinds.js';
import { isNationalId } from './national-id.js';
import type { RedactionContext } from './options.js';

export interface JsonRedaction {
  text: string;
  /** Pointers of numbers and booleans replaced by `0`/`false` (the first `MAX_ZEROED`). */
  zeroed: string[];
  zeroedCount: number;
}

export const MAX_ZEROED = 20;

interface Frame {
  array: boolean;
  /** Index of the current element (arrays). */
  index: number;
  /** Name of the current member (objects). */
  key: string;
  states: PathStates;
  /** Everything below is redacted (the container itself sat at a redacted field). */
  redactAll: boolean;
}

/** Thrown where the text stops being JSON (or was cut): the scan ends, the rest is scrubbed as text. */
class Stop extends Error {}

export function redactJsonText(
  text: string,
  ctx: RedactionContext,
  counts: RedactionCounts,
  truncated: boolean,
): JsonRedaction {
  const scanner = new JsonScanner(text, ctx, counts, truncated);
  return scanner.run();
}

/**
 * The scanner keeps its working state in fields rather than in per-token objects: it runs for
 * every body recorded, and allocation per token was a third of its time.
 */
class JsonScanner {
  private i = 0;
  private copied = 0;
  private readonly out: string[] = [];
  private readonly stack: Frame[] = [];
  private nextBackslash = -1;
  private readonly zeroed: string[] = [];
  private zeroedCount = 0;
  // The slot of the value about to be read: its path states, whether it is redacted, and
  // whether its own name marks it as a credential (not inherited, not a configured path).
  private slotStates: PathStates;
  private slotRedact = false;
  private slotCredential = false;
  // The last string token read: its decoded value, and whether its closing quote was there.
  private tokenValue = '';
  private tokenClosed = true;

  constructor(
    private readonly text: string,
    private readonly ctx: RedactionContext,
    private readonly counts: RedactionCounts,
    private readonly truncated: boolean,
  ) {
    this.slotStates = ctx.paths.root;
  }

  run(): JsonRedaction {
    const { text } = this;
    let complete = true;
    try {
      this.skipSpace();
      // More than one top-level value is NDJSON / JSON text sequences: redact each.
      while (this.i < text.length) {
        this.slotStates = this.ctx.paths.root;
        this.slotRedact = false;
        this.slotCredential = false;
        this.value();
        this.skipSpace();
      }
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
      complete = false;
    }
    const rest = text.slice(this.copied);
    // Past the point where the text stopped being JSON (or was cut), scrub it as text.
    this.out.push(complete ? rest : this.ctx.scrub(rest, this.counts, { truncated: this.truncated }));
    return { text: this.out.join(''), zeroed: this.zeroed, zeroedCount: this.zeroedCount };
  }

  /** One top-level value and everything inside it; an explicit stack, so depth costs no call stack. */
  private value(): void {
    const { text, stack } = this;
    for (;;) {
      // Parse one value at the current slot.
      const c = text.charCodeAt(this.i);
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        const array = c === 0x5b;
        stack.push({ array, index: 0, key: '', states: this.slotStates, redactAll: this.slotRedact });
        this.i++;
        this.skipSpace();
        if (text.charCodeAt(this.i) === (array ? 0x5d : 0x7d)) {
          this.i++;
          stack.pop();
        } else {
          if (!array) this.memberName();
          this.enterChild();
          continue;
        }
      } else if (c === 0x22 /* " */) {
        this.stringValue();
      } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
        this.numberValue();
      } else if (c === 0x74 /* t */ || c === 0x66 /* f */ || c === 0x6e /* n */) {
        this.literalValue();
      } else {
        throw new Stop();
      }
      // After a value: close containers and move to the next element or member.
      for (;;) {
        if (stack.length === 0) return;
        this.skipSpace();
        const frame = stack[stack.length - 1]!;
        const d = text.charCodeAt(this.i);
        if (d === 0x2c /* , */) {
          this.i++;
          this.skipSpace();
          if (frame.array) frame.index++;
          else this.memberName();
          this.enterChild();
          break;
        }
        if (d !== (frame.array ? 0x5d : 0x7d)) throw new Stop();
        this.i++;
        stack.pop();
      }
    }
  }

  /** Sets the slot for the current element or member of the innermost container. */
  private enterChild(): void {
    const frame = this.stack[this.stack.length - 1]!;
    const states = this.ctx.paths.next(frame.states, frame.array ? frame.index : frame.key);
    const credential = !frame.array && this.ctx.isCredentialField(frame.key);
    this.slotStates = states;
    this.slotCredential = credential;
    this.slotRedact = frame.redactAll || credential || states.accepting;
  }

  /** `"name" :` — records the name on the frame; scrubs it (a map keyed by national id). */
  private memberName(): void {
    if (this.text.charCodeAt(this.i) !== 0x22) throw new Stop();
    const start = this.i;
    this.stringToken(false);
    const name = this.tokenValue;
    this.stack[this.stack.length - 1]!.key = name;
    const scrubbed = this.ctx.scrub(name, this.counts);
    if (scrubbed !== name) this.replace(start, this.i, JSON.stringify(scrubbed));
    this.skipSpace();
    if (this.text.charCodeAt(this.i) !== 0x3a /* : */) throw new Stop();
    this.i++;
    this.skipSpace();
  }

  private stringValue(): void {
    const start = this.i;
    this.stringToken(this.slotRedact);
    const value = this.tokenValue;
    if (this.slotRedact) {
      if (value === '') return;
      if (this.slotCredential) this.ctx.learn(value);
      this.counts.field++;
      // A string cut by the size cap stays visibly unterminated.
      this.replace(start, this.i, this.tokenClosed ? `"${marker('field')}"` : `"${marker('field')}`);
      return;
    }
    const scrubbed = this.ctx.scrub(value, this.counts);
    if (scrubbed !== value) this.replace(start, this.i, JSON.stringify(scrubbed));
  }

  /** RFC 8259 §6 number: `-? int frac? exp?`. */
  private numberValue(): void {
    const { text } = this;
    const start = this.i;
    let j = start;
    if (text.charCodeAt(j) === 0x2d) j++;
    const intStart = j;
    j = skipDigits(text, j);
    const intDigits = j - intStart;
    if (intDigits === 0) throw new Stop();
    let integer = true;
    if (text.charCodeAt(j) === 0x2e /* . */) {
      integer = false;
      const fracStart = ++j;
      j = skipDigits(text, j);
      if (j === fracStart) throw new Stop();
    }
    const e = text.charCodeAt(j);
    if (e === 0x65 || e === 0x45 /* e E */) {
      integer = false;
      j++;
      const sign = text.charCodeAt(j);
      if (sign === 0x2b || sign === 0x2d) j++;
      const expStart = j;
      j = skipDigits(text, j);
      if (j === expStart) throw new Stop();
    }
    this.i = j;
    if (this.slotRedact) {
      this.counts.field++;
      this.zero(start, j, '0');
    } else if (j === text.length && this.truncated) {
      throw new Stop(); // may be cut mid-number: scrub the tail as text
    } else if (integer && intDigits === 11 && intStart === start && this.ctx.scrubber.nationalIds && isNationalId(text.slice(start, j))) {
      this.counts.fnr++;
      this.zero(start, j, '0');
    }
  }

  private literalValue(): void {
    const { text } = this;
    const literal = text.startsWith('true', this.i) ? 'true' : text.startsWith('false', this.i) ? 'false' : text.startsWith('null', this.i) ? 'null' : undefined;
    if (literal === undefined) throw new Stop();
    const start = this.i;
    this.i += literal.length;
    if (this.slotRedact && literal !== 'null') {
      this.counts.field++;
      this.zero(start, this.i, 'false');
    }
  }

  private zero(start: number, end: number, replacement: string): void {
    if (end - start !== replacement.length || !this.text.startsWith(replacement, start)) this.replace(start, end, replacement);
    this.zeroedCount++;
    if (this.zeroed.length < MAX_ZEROED) this.zeroed.push(this.pointer());
  }

  private pointer(): string {
    let pointer = '';
    for (const frame of this.stack) pointer += '/' + (frame.array ? String(frame.index) : escapePointerToken(frame.key));
    return pointer;
  }

  /**
   * Reads the string token at `i` into `tokenValue`/`tokenClosed` and moves past it. An
   * unterminated string at the end of a cut body is read as far as it goes when `partialOk` (its
   * value is redacted); otherwise it stops the scan and the tail is scrubbed as text.
   */
  private stringToken(partialOk: boolean): void {
    const { text } = this;
    const start = this.i;
    let quote = text.indexOf('"', start + 1);
    while (quote !== -1 && this.escaped(quote, start)) quote = text.indexOf('"', quote + 1);
    if (quote === -1) {
      if (!partialOk || !this.truncated) throw new Stop();
      this.i = text.length;
      this.tokenValue = text.slice(start + 1);
      this.tokenClosed = false;
      return;
    }
    this.i = quote + 1;
    this.tokenClosed = true;
    if (this.nextBackslash < start) this.nextBackslash = indexOrEnd(text.indexOf('\\', start));
    if (this.nextBackslash > quote) {
      this.tokenValue = text.slice(start + 1, quote);
      return;
    }
    try {
      this.tokenValue = JSON.parse(text.slice(start, this.i)) as string;
    } catch {
      throw new Stop(); // a bad escape or a raw control character: not JSON from here on
    }
  }

  /** An odd run of backslashes before a quote escapes it. */
  private escaped(quote: number, start: number): boolean {
    let backslashes = 0;
    for (let j = quote - 1; j > start && this.text.charCodeAt(j) === 0x5c; j--) backslashes++;
    return backslashes % 2 === 1;
  }

  private skipSpace(): void {
    const { text } = this;
    for (;;) {
      const c = text.charCodeAt(this.i);
      // RFC 8259 §2 whitespace, and a byte order mark some servers put first.
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) this.i++;
      else return;
    }
  }

  private replace(start: number, end: number, replacement: string): void {
    this.out.push(this.text.slice(this.copied, start), replacement);
    this.copied = end;
  }
}

function skipDigits(text: string, from: number): number {
  let j = from;
  for (let c = text.charCodeAt(j); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++j));
  return j;
}

/** RFC 6901 §4. (The spec loader has the same helper; importing it would load the loader.) */
function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function indexOrEnd(index: number): number {
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}
