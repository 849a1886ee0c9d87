/**
 * The official JSON Schema Test Suite (fixtures/json-schema-test-suite, see its LICENSE) run
 * through recon's own engine configuration (`createAjv`), so the pass counts in
 * docs/json-schema-suite.md are those of the engine that validates vendor responses.
 *
 * Every case not in test/json-schema-suite.known-failures.json must pass, and every case in it
 * must still fail, so the list stays honest when Ajv or the engine options change.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createAjv, type Ajv, type EngineDialect } from '../src/spec/schema/index.js';

const SUITE = fileURLToPath(new URL('../fixtures/json-schema-test-suite/', import.meta.url));
const KNOWN_FAILURES = fileURLToPath(new URL('./json-schema-suite.known-failures.json', import.meta.url));

interface SuiteCase {
  description: string;
  data: unknown;
  valid: boolean;
}
interface SuiteGroup {
  description: string;
  schema: unknown;
  tests: SuiteCase[];
}

const DRAFTS: { folder: string; dialect: EngineDialect }[] = [
  { folder: 'draft4', dialect: 'draft4' },
  { folder: 'draft2020-12', dialect: '2020-12' },
];

/** draft folder → short reason → "file > group > case" */
const knownFailures = JSON.parse(readFileSync(KNOWN_FAILURES, 'utf8')) as Record<string, Record<string, string[]>>;

/** Every remote, keyed by the URL the suite's README says it is served at. */
const remotes = jsonFiles(join(SUITE, 'remotes')).map((file) => ({
  url: `http://localhost:1234/${relative(join(SUITE, 'remotes'), file).split('\\').join('/')}`,
  schema: JSON.parse(readFileSync(file, 'utf8')) as object,
}));

const summary: string[] = [];
afterAll(() => {
  console.log(`JSON Schema Test Suite through createAjv():\n${summary.join('\n')}`);
});

describe.each(DRAFTS)('JSON Schema Test Suite, $folder', ({ folder, dialect }) => {
  const root = join(SUITE, 'tests', folder);
  const files = jsonFiles(root).map((file) => relative(root, file).split('\\').join('/'));
  const known = new Set(Object.values(knownFailures[folder] ?? {}).flat());
  const seen = new Set<string>();
  const counts = { required: [0, 0], optional: [0, 0] };

  it.each(files)('%s', (file) => {
    const groups = JSON.parse(readFileSync(join(root, file), 'utf8')) as SuiteGroup[];
    const unexpected: string[] = [];
    for (const group of groups) {
      const outcome = runGroup(dialect, group);
      group.tests.forEach((test, i) => {
        const name = `${file} > ${group.description} > ${test.description}`;
        seen.add(name);
        const passed = outcome[i] === true;
        const tally = counts[file.startsWith('optional/') ? 'optional' : 'required'];
        tally[1]!++;
        if (passed) tally[0]!++;
        if (passed && known.has(name)) unexpected.push(`now passes (drop it from the known failures): ${name}`);
        if (!passed && !known.has(name)) unexpected.push(`fails: ${name}${typeof outcome[i] === 'string' ? ` (${outcome[i]})` : ''}`);
      });
    }
    expect(unexpected).toEqual([]);
  });

  it('lists only cases that exist', () => {
    expect([...known].filter((name) => !seen.has(name))).toEqual([]);
    const { required, optional } = counts;
    summary.push(
      `  ${folder}: required ${required[0]}/${required[1]}, optional ${optional[0]}/${optional[1]}, ` +
        `all ${required[0]! + optional[0]!}/${required[1]! + optional[1]!}`,
    );
  });
});

/**
 * One fresh engine per group, so `$id`s in one group's schema cannot clash with another's.
 * Each entry: `true` passed, `false` gave the wrong answer, a string is why it could not run.
 */
function runGroup(dialect: EngineDialect, group: SuiteGroup): (boolean | string)[] {
  const ajv = engineWithRemotes(dialect);
  let validate: ReturnType<Ajv['compile']>;
  try {
    validate = ajv.compile(group.schema as object);
  } catch (error) {
    const reason = `does not compile: ${error instanceof Error ? error.message : String(error)}`;
    return group.tests.map(() => reason);
  }
  return group.tests.map((test) => {
    try {
      return validate(test.data) === test.valid;
    } catch (error) {
      return `throws: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
}

function engineWithRemotes(dialect: EngineDialect): Ajv {
  const ajv = createAjv(dialect);
  for (const { url, schema } of remotes) {
    try {
      ajv.addSchema(schema, url);
    } catch {
      // A remote written for another draft can clash with one already added (the same `$id`);
      // this draft's tests never need both.
    }
  }
  return ajv;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
