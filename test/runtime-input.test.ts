/**
 * Input readers: NDJSON, CSV (RFC 4180) and JSON arrays, each case read whole and cut into tiny
 * chunks (chunk edges inside quotes, CRLFs and multi-byte characters must not change a thing),
 * from files (format from the extension), streams and stdin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, readInput, type InputFormat, type InputItem } from '../src/runtime/input/index.js';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recon-input-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

async function collect(items: AsyncIterable<InputItem>): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** `bytes` as a stream of `size`-byte chunks. */
function chunked(bytes: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return Readable.from(pieces);
}

const BOM = '\uFEFF';

const cases: [string, { format: InputFormat | undefined; given: string; want: InputItem[] }][] = [
  [
    'NDJSON with a bad line 3: reported, the rest read',
    {
      format: 'ndjson',
      given: '{"id":1}\n{"id":2,"name":"Ærlig Øl"}\n{"id":3,\n{"id":4}\n',
      want: [
        { line: 1, record: { id: 1 } },
        { line: 2, record: { id: 2, name: 'Ærlig Øl' } },
        { line: 3, error: expect.stringMatching(/^not valid JSON: /) as unknown as string },
        { line: 4, record: { id: 4 } },
      ],
    },
  ],
  [
    'NDJSON with CRLF, blank lines, no final newline',
    { format: 'ndjson', given: '{"a":1}\r\n\r\n  \n{"a":2}', want: [{ line: 1, record: { a: 1 } }, { line: 4, record: { a: 2 } }] },
  ],
  [
    'NDJSON: a line that is JSON but not an object',
    { format: 'ndjson', given: '[1,2]\n42\n', want: [{ line: 1, error: 'expected a JSON object, found a list' }, { line: 2, error: 'expected a JSON object, found a number' }] },
  ],
  ['NDJSON with a BOM', { format: undefined, given: `${BOM}{"a":1}\n`, want: [{ line: 1, record: { a: 1 } }] }],
  [
    'CSV: quotes, escaped quotes, commas and line breaks in fields, CRLF; numbers stay strings',
    {
      format: 'csv',
      given: 'id,name,note\r\n007,"Smith, J","said ""hi"""\r\n2,"two\r\nlines",x\r\n3,"",\r\n',
      want: [
        { line: 2, record: { id: '007', name: 'Smith, J', note: 'said "hi"' } },
        { line: 3, record: { id: '2', name: 'two\r\nlines', note: 'x' } },
        { line: 5, record: { id: '3', name: '', note: '' } },
      ],
    },
  ],
  [
    'CSV: a row with the wrong number of fields, an empty field, a blank line',
    {
      format: 'csv',
      given: 'a,b\n1\n\n2,\n3,4',
      want: [
        { line: 2, error: 'the row has 1 fields; the header has 2' },
        { line: 4, record: { a: '2', b: '' } },
        { line: 5, record: { a: '3', b: '4' } },
      ],
    },
  ],
  [
    'CSV: text after a closing quote, and a quote never closed',
    {
      format: 'csv',
      given: 'a,b\n"x"y,1\n2,"open\n',
      want: [
        { line: 2, error: "a quoted field must end at a comma or the end of the line (found 'y' after the closing quote)" },
        { line: 3, error: 'a quoted field is not closed before the end of the input' },
      ],
    },
  ],
  ['CSV with a BOM before the header', { format: 'csv', given: `${BOM}id\n1\n`, want: [{ line: 2, record: { id: '1' } }] }],
  ['CSV: a duplicate column', { format: 'csv', given: 'a,a\n1,2\n', want: [{ line: 1, error: "the header row: the column 'a' appears twice" }] }],
  [
    'CSV: a __proto__ column is just a column',
    { format: 'csv', given: '__proto__,x\n1,2\n', want: [{ line: 2, record: JSON.parse('{"__proto__":"1","x":"2"}') as unknown }] },
  ],
  [
    'JSON array: elements across lines, strings with brackets and escapes',
    {
      format: 'json',
      given: '[\n  {"a": "]\\"}"},\n  {"b": [1, {"c": 2}]},\n  7,\n  {"d":\n    null}\n]\n',
      want: [
        { line: 2, record: { a: ']"}' } },
        { line: 3, record: { b: [1, { c: 2 }] } },
        { line: 4, error: 'expected a JSON object, found a number' },
        { line: 5, record: { d: null } },
      ],
    },
  ],
  [
    'JSON array: a bad element is reported, the rest read',
    {
      format: 'json',
      given: '[{"a":1},\n{"b":},\n{"c":3}]',
      want: [{ line: 1, record: { a: 1 } }, { line: 2, error: expect.stringMatching(/^not valid JSON/) as unknown as string }, { line: 3, record: { c: 3 } }],
    },
  ],
  ['JSON array: empty', { format: 'json', given: ' [ ] ', want: [] }],
  ['JSON array: format sniffed from the first character', { format: undefined, given: `${BOM} [{"a":1}]`, want: [{ line: 1, record: { a: 1 } }] }],
  ['JSON array: truncated', { format: 'json', given: '[{"a":1},\n{"b"', want: [{ line: 1, record: { a: 1 } }, { line: 2, error: 'the array is not closed: the input ends inside it (truncated?)' }] }],
  ['JSON: not an array', { format: 'json', given: '{"a":1}', want: [{ line: 1, error: "expected a JSON array ('[') at the top, found '{'" }] }],
  ['empty input (NDJSON)', { format: 'ndjson', given: '', want: [] }],
  ['empty input (CSV)', { format: 'csv', given: '', want: [] }],
  ['empty input (JSON)', { format: 'json', given: '', want: [] }],
  ['empty input, format unknown', { format: undefined, given: `${BOM}\n  \n`, want: [] }],
];

describe('readInput', () => {
  it.each(cases)('%s', async (_name, { format, given, want }) => {
    const bytes = Buffer.from(given, 'utf8');
    for (const size of [bytes.length || 1, 1, 3, 7]) {
      const items = await collect(readInput(chunked(bytes, size), { format }));
      expect(items, `in chunks of ${size} bytes`).toEqual(want);
    }
  });

  it('reads a 5 MB NDJSON line', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const text = `{"id":1}\n${JSON.stringify({ id: 2, big })}\n{"id":3}\n`;
    const items = await collect(readInput(chunked(Buffer.from(text), 64 * 1024), { format: 'ndjson' }));
    expect(items.map((i) => i.line)).toEqual([1, 2, 3]);
    expect((items[1]!.record as { big: string }).big.length).toBe(big.length);
  });

  it('reads a 5 MB JSON array element and a 5 MB CSV field', async () => {
    const big = 'y'.repeat(5 * 1024 * 1024);
    const json = await collect(readInput(chunked(Buffer.from(`[{"id":1},\n${JSON.stringify({ id: 2, big })},{"id":3}]`), 64 * 1024), { format: 'json' }));
    expect(json.map((i) => i.line)).toEqual([1, 2, 2]);
    expect((json[1]!.record as { big: string }).big).toBe(big);
    const csv = await collect(readInput(chunked(Buffer.from(`id,big\n1,"${big}"\n2,x\n`), 64 * 1024), { format: 'csv' }));
    expect(csv.map((i) => [i.line, (i.record as { big: string }).big.length])).toEqual([[2, big.length], [3, 1]]);
  });

  it('takes the format from the file extension', async () => {
    const dir = tempDir();
    const files: [string, string][] = [
      ['in.ndjson', '{"a":1}\n'],
      ['in.jsonl', '{"a":1}\n'],
      ['in.csv', 'a\n1\n'],
      ['in.json', '[{"a":1}]'],
    ];
    for (const [name, text] of files) {
      writeFileSync(join(dir, name), text);
      const items = await collect(readInput(join(dir, name)));
      expect(items, name).toEqual([{ line: name.endsWith('.csv') ? 2 : 1, record: { a: name.endsWith('.csv') ? '1' : 1 } }]);
    }
  });

  it('refuses what it cannot read as a whole: missing file, unknown format, invalid UTF-8', async () => {
    const dir = tempDir();
    await expect(collect(readInput(join(dir, 'nope.ndjson')))).rejects.toMatchObject({ code: 'RECON_INPUT_NOT_FOUND', exitCode: 2 });
    writeFileSync(join(dir, 'odd.txt'), 'hello\n');
    await expect(collect(readInput(join(dir, 'odd.txt')))).rejects.toMatchObject({ code: 'RECON_INPUT_UNKNOWN_FORMAT' });
    writeFileSync(join(dir, 'latin1.csv'), Buffer.from([0x61, 0x0a, 0xe6, 0x0a]));
    await expect(collect(readInput(join(dir, 'latin1.csv')))).rejects.toBeInstanceOf(InputError);
    await expect(collect(readInput(join(dir, 'latin1.csv')))).rejects.toMatchObject({ code: 'RECON_INPUT_NOT_UTF8' });
  });

  it("reads stdin when the source is '-'", () => {
    const script = `
      const { readInput } = await import(${JSON.stringify(new URL('../dist/runtime/input/index.js', import.meta.url).href)});
      const out = [];
      for await (const item of readInput('-', { format: 'ndjson' })) out.push(item);
      process.stdout.write(JSON.stringify(out));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: '{"a":1}\nnot json\n', encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([{ line: 1, record: { a: 1 } }, { line: 2, error: expect.stringMatching(/^not valid JSON/) }]);
  });
});
