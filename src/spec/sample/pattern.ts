/**
 * Strings that match a `pattern`, for the simple regular expressions vendor documents use
 * (`^[A-Z]{3}$`, `^[0-9]{2,25}$`, `^(asc|desc)$`, `^\d{4}-\d{2}-\d{2}$`): literals, classes,
 * escapes, groups, alternation and quantifiers. Lookaround, back-references, word boundaries
 * and Unicode property escapes are not attempted: `compilePattern` returns undefined and the
 * caller falls back to the schema's example.
 */
import type { Random } from './random.js';

type Piece = { kind: 'chars'; chars: string[] } | { kind: 'group'; options: Sequence[] } | { kind: 'empty' };
type Quantified = { piece: Piece; min: number; max: number };
type Sequence = Quantified[];

const DIGITS = chars('0', '9');
const WORD = [...chars('a', 'z'), ...chars('A', 'Z'), ...DIGITS, '_'];
const PRINTABLE = chars(' ', '~');
const LETTERS_DIGITS = [...chars('a', 'z'), ...chars('A', 'Z'), ...DIGITS];

/** A generator for strings matching `source`, or undefined when the expression uses syntax
 * this generator does not cover. `stretch` (0, 1, 2…) makes open-ended repetitions longer. */
export function compilePattern(source: string): ((random: Random, stretch: number) => string) | undefined {
  let options: Sequence[];
  try {
    const parser = new Parser(source);
    options = parser.alternation();
    if (!parser.done()) return undefined;
  } catch {
    return undefined;
  }
  return (random, stretch) => generate(options, random, stretch);
}

function generate(options: Sequence[], random: Random, stretch: number): string {
  const sequence = random.pick(options);
  let out = '';
  for (const { piece, min, max } of sequence) {
    const upper = Number.isFinite(max) ? max : min + 3 + stretch * 8;
    const count = random.int(min, Math.max(min, upper));
    for (let i = 0; i < count; i++) {
      if (piece.kind === 'chars') out += random.pick(piece.chars);
      else if (piece.kind === 'group') out += generate(piece.options, random, stretch);
    }
  }
  return out;
}

class Unsupported extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly source: string) {}

  done(): boolean {
    return this.i >= this.source.length;
  }

  alternation(): Sequence[] {
    const options = [this.sequence()];
    while (this.source[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options;
  }

  private sequence(): Sequence {
    const sequence: Sequence = [];
    while (!this.done() && this.source[this.i] !== '|' && this.source[this.i] !== ')') {
      const piece = this.atom();
      const [min, max] = this.quantifier();
      sequence.push({ piece, min, max });
    }
    return sequence;
  }

  private atom(): Piece {
    const c = this.source[this.i++]!;
    switch (c) {
      case '^':
      case '$':
        return { kind: 'empty' };
      case '.':
        return { kind: 'chars', chars: LETTERS_DIGITS };
      case '[':
        return { kind: 'chars', chars: this.charClass() };
      case '(': {
        if (this.source[this.i] === '?') {
          if (this.source[this.i + 1] === ':') this.i += 2;
          else if (this.source[this.i + 1] === '<' && /[A-Za-z]/.test(this.source[this.i + 2] ?? '')) this.i = this.source.indexOf('>', this.i) + 1;
          else throw new Unsupported('lookaround');
        }
        const options = this.alternation();
        if (this.source[this.i++] !== ')') throw new Unsupported('unclosed group');
        return { kind: 'group', options };
      }
      case '\\':
        return { kind: 'chars', chars: this.escape(false) };
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
        throw new Unsupported(`dangling ${c}`);
      default:
        return { kind: 'chars', chars: [c] };
    }
  }

  private quantifier(): [number, number] {
    const c = this.source[this.i];
    let bounds: [number, number] | undefined;
    if (c === '?') bounds = [0, 1];
    else if (c === '*') bounds = [0, Infinity];
    else if (c === '+') bounds = [1, Infinity];
    if (bounds !== undefined) this.i++;
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.i));
      if (match === null) throw new Unsupported('brace');
      this.i += match[0].length;
      const min = Number(match[1]);
      bounds = [min, match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3])];
    } else return [1, 1];
    if (this.source[this.i] === '?') this.i++; // lazy: matches the same strings
    return bounds;
  }

  private charClass(): string[] {
    const negated = this.source[this.i] === '^';
    if (negated) this.i++;
    const set = new Set<string>();
    let first = true;
    while (this.source[this.i] !== ']' || first) {
      first = false;
      if (this.done()) throw new Unsupported('unclosed class');
      let from: string[];
      if (this.source[this.i] === '\\') {
        this.i++;
        from = this.escape(true);
      } else from = [this.source[this.i++]!];
      if (from.length === 1 && this.source[this.i] === '-' && this.source[this.i + 1] !== ']' && this.i + 1 < this.source.length) {
        this.i++;
        let to: string[];
        if (this.source[this.i] === '\\') {
          this.i++;
          to = this.escape(true);
        } else to = [this.source[this.i++]!];
        if (to.length !== 1) throw new Unsupported('range to a class');
        for (const ch of chars(from[0]!, to[0]!)) set.add(ch);
      } else for (const ch of from) set.add(ch);
    }
    this.i++;
    const members = negated ? PRINTABLE.filter((ch) => !set.has(ch)) : [...set];
    if (members.length === 0) throw new Unsupported('empty class');
    return members;
  }

  private escape(inClass: boolean): string[] {
    const c = this.source[this.i++];
    switch (c) {
      case 'd': return DIGITS;
      case 'D': return chars('a', 'z');
      case 'w': return WORD;
      case 'W': return ['-', '.', ' '];
      case 's': return [' '];
      case 'S': return LETTERS_DIGITS;
      case 'n': return ['\n'];
      case 't': return ['\t'];
      case 'r': return ['\r'];
      case 'u':
      case 'x': {
        const match = (c === 'u' ? /^[0-9a-fA-F]{4}/ : /^[0-9a-fA-F]{2}/).exec(this.source.slice(this.i));
        if (match === null) throw new Unsupported('escape');
        this.i += match[0].length;
        return [String.fromCharCode(parseInt(match[0], 16))];
      }
      case undefined: throw new Unsupported('trailing backslash');
      default:
        // \b is a backspace inside a class but a word boundary outside; digits are back-references.
        if (/[0-9bBpPkcf]/.test(c) && !(inClass && c === 'b')) throw new Unsupported(`\\${c}`);
        return [c === 'b' ? '\b' : c];
    }
  }
}

function chars(from: string, to: string): string[] {
  const out: string[] = [];
  const a = from.codePointAt(0)!;
  const b = to.codePointAt(0)!;
  if (b < a || b - a > 0xffff) throw new Unsupported('range');
  for (let code = a; code <= b; code++) out.push(String.fromCodePoint(code));
  return out;
}
