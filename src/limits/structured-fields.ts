/**
 * The subset of RFC 8941 "Structured Field Values for HTTP" that the rate-limit headers use:
 * Lists and Dictionaries of Items (and Inner Lists) with Parameters; bare items are integers,
 * decimals, strings, tokens, byte sequences and booleans. The parser follows the algorithms of
 * RFC 8941 §4.2 step by step and fails on the first malformed character rather than guessing,
 * as §4.2 requires ("the entire field value MUST be ignored").
 */

export type BareItem =
  | { type: 'integer'; value: number }
  | { type: 'decimal'; value: number }
  | { type: 'string'; value: string }
  | { type: 'token'; value: string }
  /** The base64 text as written (RFC 8941 §3.3.5); decoding is left to the caller. */
  | { type: 'bytes'; value: string }
  | { type: 'boolean'; value: boolean };

export type Parameters = Map<string, BareItem>;
export interface Item {
  kind: 'item';
  item: BareItem;
  params: Parameters;
}
export interface InnerList {
  kind: 'inner-list';
  items: Item[];
  params: Parameters;
}
export type Member = Item | InnerList;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Thrown inside the parser only; the exported functions turn it into `{ ok: false }`. */
class SyntaxFailure extends Error {}

/**
 * Parse a List field (RFC 8941 §4.2.1).
 *
 * @example
 * parseList('"permin";q=50;w=60, "perday";q=1000;w=86400')
 * // { ok: true, value: [{ kind: 'item', item: { type: 'string', value: 'permin' }, params: Map { q → 50, w → 60 } }, …] }
 */
export function parseList(input: string): Parsed<Member[]> {
  return run(input, (p) => p.list());
}

/**
 * Parse a Dictionary field (RFC 8941 §4.2.2); a member without `=` is boolean true.
 *
 * @example
 * parseDictionary('limit=100, remaining=50, reset=5') // { ok: true, value: Map { limit → …, … } }
 */
export function parseDictionary(input: string): Parsed<Map<string, Member>> {
  return run(input, (p) => p.dictionary());
}

function run<T>(input: string, parse: (p: Parser) => T): Parsed<T> {
  const parser = new Parser(input);
  try {
    // §4.2 steps 2–7: discard leading and trailing SP, parse, and nothing may remain.
    parser.skipSpaces();
    const value = parse(parser);
    parser.skipSpaces();
    if (!parser.atEnd()) parser.fail('unexpected text after the value');
    return { ok: true, value };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.message };
    throw error;
  }
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const KEY_START = /[a-z*]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;

class Parser {
  private pos = 0;
  constructor(private readonly input: string) {}

  atEnd(): boolean {
    return this.pos >= this.input.length;
  }
  fail(why: string): never {
    throw new SyntaxFailure(`${why} at character ${this.pos + 1}`);
  }
  private peek(): string {
    return this.input[this.pos] ?? '';
  }
  skipSpaces(): void {
    while (this.peek() === ' ') this.pos++;
  }
  private skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** §4.2.1 */
  list(): Member[] {
    const members: Member[] = [];
    while (!this.atEnd()) {
      members.push(this.member());
      if (this.afterMember()) break;
    }
    return members;
  }

  /** §4.2.2 */
  dictionary(): Map<string, Member> {
    const members = new Map<string, Member>();
    while (!this.atEnd()) {
      const key = this.key();
      if (this.peek() === '=') {
        this.pos++;
        members.set(key, this.member());
      } else {
        members.set(key, { kind: 'item', item: { type: 'boolean', value: true }, params: this.parameters() });
      }
      if (this.afterMember()) break;
    }
    return members;
  }

  /** The comma handling shared by §4.2.1 and §4.2.2; true when the field ends here. */
  private afterMember(): boolean {
    this.skipOws();
    if (this.atEnd()) return true;
    if (this.peek() !== ',') this.fail('expected "," between members');
    this.pos++;
    this.skipOws();
    if (this.atEnd()) this.fail('trailing ","');
    return false;
  }

  private member(): Member {
    if (this.peek() === '(') return this.innerList();
    return { kind: 'item', item: this.bareItem(), params: this.parameters() };
  }

  /** §4.2.1.2 */
  private innerList(): InnerList {
    this.pos++;
    const items: Item[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.peek() === ')') {
        this.pos++;
        return { kind: 'inner-list', items, params: this.parameters() };
      }
      if (this.atEnd()) this.fail('unterminated inner list');
      items.push({ kind: 'item', item: this.bareItem(), params: this.parameters() });
      if (this.peek() !== ' ' && this.peek() !== ')') this.fail('expected " " or ")" in inner list');
    }
  }

  /** §4.2.3.2 */
  private parameters(): Parameters {
    const params: Parameters = new Map();
    while (this.peek() === ';') {
      this.pos++;
      this.skipSpaces();
      const key = this.key();
      let value: BareItem = { type: 'boolean', value: true };
      if (this.peek() === '=') {
        this.pos++;
        value = this.bareItem();
      }
      params.set(key, value);
    }
    return params;
  }

  /** §4.2.3.3 */
  private key(): string {
    if (!KEY_START.test(this.peek())) this.fail('expected a key (lower-case letter or "*")');
    const start = this.pos;
    while (KEY_CHAR.test(this.peek())) this.pos++;
    return this.input.slice(start, this.pos);
  }

  /** §4.2.3.1 */
  private bareItem(): BareItem {
    const c = this.peek();
    if (c === '-' || /[0-9]/.test(c)) return this.number();
    if (c === '"') return this.string();
    if (c === ':') return this.bytes();
    if (c === '?') return this.boolean();
    if (/[A-Za-z*]/.test(c)) return this.token();
    return this.fail(c === '' ? 'expected a value' : `unexpected "${c}"`);
  }

  /** §4.2.4: at most 15 integer digits, or 12 + "." + at most 3 fractional digits. */
  private number(): BareItem {
    const start = this.pos;
    let sign = 1;
    if (this.peek() === '-') {
      sign = -1;
      this.pos++;
    }
    if (!/[0-9]/.test(this.peek())) this.fail('expected a digit');
    let text = '';
    let decimal = false;
    while (/[0-9.]/.test(this.peek())) {
      const c = this.peek();
      if (c === '.') {
        if (decimal) break;
        if (text.length > 12) this.fail('a decimal has at most 12 integer digits');
        decimal = true;
      }
      text += c;
      this.pos++;
      if (!decimal && text.length > 15) this.fail('an integer has at most 15 digits');
      if (decimal && text.length > 16) this.fail('a decimal has at most 16 characters');
    }
    if (!decimal) return { type: 'integer', value: sign * Number(text) };
    if (text.endsWith('.')) this.fail('a decimal needs a digit after "."');
    if (text.length - text.indexOf('.') - 1 > 3) {
      this.pos = start;
      this.fail('a decimal has at most 3 fractional digits');
    }
    return { type: 'decimal', value: sign * Number(text) };
  }

  /** §4.2.5: only `\"` and `\\` escapes; printable ASCII only. */
  private string(): BareItem {
    this.pos++;
    let value = '';
    for (;;) {
      if (this.atEnd()) this.fail('unterminated string');
      const c = this.peek();
      this.pos++;
      if (c === '\\') {
        const next = this.peek();
        if (next !== '"' && next !== '\\') this.fail('only \\" and \\\\ may be escaped in a string');
        value += next;
        this.pos++;
      } else if (c === '"') {
        return { type: 'string', value };
      } else {
        const code = c.charCodeAt(0);
        if (code < 0x20 || code > 0x7e) this.fail('a string holds printable ASCII only');
        value += c;
      }
    }
  }

  /** §4.2.6 */
  private token(): BareItem {
    const start = this.pos;
    this.pos++;
    while (TOKEN_CHAR.test(this.peek())) this.pos++;
    return { type: 'token', value: this.input.slice(start, this.pos) };
  }

  /** §4.2.7: base64 between colons. */
  private bytes(): BareItem {
    this.pos++;
    const start = this.pos;
    while (/[A-Za-z0-9+/=]/.test(this.peek())) this.pos++;
    if (this.peek() !== ':') this.fail('a byte sequence is base64 between ":" and ":"');
    const value = this.input.slice(start, this.pos);
    this.pos++;
    return { type: 'bytes', value };
  }

  /** §4.2.8 */
  private boolean(): BareItem {
    this.pos++;
    const c = this.peek();
    if (c !== '0' && c !== '1') this.fail('a boolean is ?0 or ?1');
    this.pos++;
    return { type: 'boolean', value: c === '1' };
  }
}
