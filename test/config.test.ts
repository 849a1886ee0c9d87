/**
 * recon.yaml: validation (every problem placed at file:line:column + key path), reference
 * resolution, defaults, findConfig, and targets from CLI flags.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONFIG_DEFAULTS,
  CONFIG_SCHEMA_PATH,
  ConfigError,
  findConfig,
  loadConfig,
  resolveConfigPath,
  targetFlagOptions,
  targetFromFlags,
  targetSecrets,
  withTargetFlags,
  type ConfigProblem,
  type ReconConfig,
  type TargetFlags,
} from '../src/config/index.js';
import { jsonErrorPosition } from '../src/text/index.js';
import { UsageError } from '../src/errors.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'config');
const CANARY = 'canary-3f9d1c-do-not-leak';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recon-config-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

interface Given {
  yaml: string;
  env?: Record<string, string>;
  /** Extra files next to recon.yaml. */
  files?: Record<string, string | Buffer>;
}

async function load(given: Given): Promise<ReconConfig> {
  const dir = tempDir();
  writeFileSync(join(dir, 'recon.yaml'), given.yaml);
  for (const [name, content] of Object.entries(given.files ?? {})) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return loadConfig('recon.yaml', { cwd: dir, env: given.env ?? {} });
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function loadError(given: Given): Promise<ConfigError> {
  return rejection(load(given));
}

/** A valid target to build invalid cases around. */
const TARGET = `version: 1
targets:
  sandbox:
    baseUrl: http://127.0.0.1:4010/api/v1
`;

type Want = { code: ConfigError['code']; problems: Partial<ConfigProblem>[] };

const invalid: [string, Given & { want: Want }][] = [
  [
    'unknown key, with a suggestion',
    {
      yaml: TARGET + '    budjet: 3\n',
      want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, column: 5, path: 'targets.sandbox.budjet', message: "unknown key 'budjet' (did you mean 'budget'?)" }] },
    },
  ],
  [
    'unknown top-level key, listing the known ones',
    {
      yaml: TARGET + 'zzz: 1\n',
      want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, column: 1, path: 'zzz', message: "unknown key 'zzz'; known keys: version, recordings, targets, probe, redaction" }] },
    },
  ],
  [
    'a literal client secret',
    {
      yaml: `${TARGET}    auth:
      type: oauth2-client-credentials
      tokenUrl: http://127.0.0.1:4010/oauth/token
      clientId: acme-demo
      clientSecret: ${CANARY}
`,
      want: {
        code: 'RECON_CONFIG_INVALID',
        problems: [{ line: 9, column: 7, path: 'targets.sandbox.auth.clientSecret', message: 'write the secret as ${env:NAME} or ${file:./path}; recon.yaml is committed' }],
      },
    },
  ],
  [
    'a literal password that YAML reads as a number',
    {
      yaml: `${TARGET}    auth: { type: basic, username: u, password: 123456 }\n`,
      want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, column: 39, path: 'targets.sandbox.auth.password', message: 'write the secret as ${env:NAME} or ${file:./path}; recon.yaml is committed' }] },
    },
  ],
  [
    'literal apiKey value, bearer token and TLS key',
    {
      yaml: `version: 1
targets:
  a:
    baseUrl: https://a.example
    auth: { type: apiKey, name: X-Api-Key, value: abc }
  b:
    baseUrl: https://b.example
    auth: { type: bearer, token: "\${env:OK} trailing" }
    tls: { cert: "\${file:./c.pem}", key: plain-key }
`,
      want: {
        code: 'RECON_CONFIG_INVALID',
        problems: [
          { line: 5, path: 'targets.a.auth.value' },
          { line: 8, path: 'targets.b.auth.token' },
          { line: 9, path: 'targets.b.tls.key' },
        ],
      },
    },
  ],
  [
    'missing version',
    { yaml: 'targets:\n  a: { baseUrl: "https://a.example" }\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 1, column: 1, path: '', message: "missing required key 'version'" }] } },
  ],
  [
    'another version',
    { yaml: TARGET.replace('version: 1', 'version: 2'), want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 1, column: 1, path: 'version', message: "recon reads version 1 of recon.yaml; write 'version: 1'" }] } },
  ],
  [
    'no targets',
    { yaml: 'version: 1\ntargets: {}\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 2, column: 1, path: 'targets', message: "name at least one target, e.g. 'sandbox: { baseUrl: https://… }'" }] } },
  ],
  [
    'a target name that cannot be a folder name',
    {
      yaml: 'version: 1\ntargets:\n  ../prod:\n    baseUrl: https://a.example\n',
      want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 3, column: 3, path: 'targets["../prod"]', message: "a target name is 1-64 letters, digits, '.', '_' or '-' (it becomes a folder name)" }] },
    },
  ],
  [
    'unknown auth type, with a suggestion',
    {
      yaml: TARGET + '    auth: { type: oauth2 }\n',
      want: {
        code: 'RECON_CONFIG_INVALID',
        problems: [{ line: 5, column: 13, path: 'targets.sandbox.auth.type', message: "unknown type 'oauth2' (did you mean 'oauth2-client-credentials'?); one of: none, apiKey, basic, bearer, oauth2-client-credentials, jwt-bearer" }],
      },
    },
  ],
  [
    'auth without a type',
    {
      yaml: TARGET + '    auth: { token: "${env:T}" }\n',
      want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, column: 5, path: 'targets.sandbox.auth', message: "missing required key 'type' (one of: none, apiKey, basic, bearer, oauth2-client-credentials, jwt-bearer)" }] },
    },
  ],
  [
    'oauth2 with a misspelt key and missing ones',
    {
      yaml: TARGET + '    auth:\n      type: oauth2-client-credentials\n      clientID: x\n      authMethod: client_secret_bsic\n',
      want: {
        code: 'RECON_CONFIG_INVALID',
        problems: [
          { line: 5, path: 'targets.sandbox.auth', message: "missing required key 'tokenUrl'" },
          { line: 5, path: 'targets.sandbox.auth', message: "missing required key 'clientId'" },
          { line: 5, path: 'targets.sandbox.auth', message: "missing required key 'clientSecret'" },
          { line: 7, column: 7, path: 'targets.sandbox.auth.clientID', message: "unknown key 'clientID' (did you mean 'clientId'?)" },
          {
            line: 8,
            column: 7,
            path: 'targets.sandbox.auth.authMethod',
            message: "'client_secret_bsic' is not one of: client_secret_basic, client_secret_post (did you mean 'client_secret_basic'?)",
          },
        ],
      },
    },
  ],
  [
    'numbers out of range and of the wrong type',
    {
      yaml: TARGET + '    budget: 0\n    concurrency: lots\n    rateLimit: 0\n    timeoutSeconds: 1.5\n    maxResponseBytes: 1.5\n',
      want: {
        code: 'RECON_CONFIG_INVALID',
        problems: [
          { line: 5, path: 'targets.sandbox.budget', message: 'must be at least 1 (found 0)' },
          { line: 6, path: 'targets.sandbox.concurrency', message: 'expected a whole number, found a string' },
          { line: 7, path: 'targets.sandbox.rateLimit', message: 'must be greater than 0 (found 0)' },
          { line: 9, path: 'targets.sandbox.maxResponseBytes', message: 'expected a whole number, found a fractional number' },
        ],
      },
    },
  ],
  [
    'a JWT lifetime beyond Maskinporten’s 120 seconds',
    {
      yaml:
        TARGET +
        '    auth: { type: jwt-bearer, tokenUrl: "https://mp.example/token", issuer: i, audience: a, scope: s, privateKey: "${file:./k.pem}", lifetimeSeconds: 300 }\n',
      want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, path: 'targets.sandbox.auth.lifetimeSeconds', message: 'must be at most 120 (found 300)' }] },
    },
  ],
  [
    'a client certificate without its key',
    { yaml: TARGET + '    tls: { cert: "${file:./c.pem}" }\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, column: 5, path: 'targets.sandbox.tls', message: "'cert' needs 'key' as well" }] } },
  ],
  [
    'a boolean written as yes (YAML 1.2 reads a string)',
    { yaml: TARGET + '    writes: yes\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, path: 'targets.sandbox.writes', message: 'expected true or false, found a string' }] } },
  ],
  [
    'an empty value where a mapping belongs',
    { yaml: TARGET + '    headers:\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, path: 'targets.sandbox.headers', message: 'expected a mapping (key: value), found an empty value' }] } },
  ],
  [
    'a header name with a space',
    { yaml: TARGET + '    headers: { "X Tenant": a }\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 5, path: 'targets.sandbox.headers["X Tenant"]' }] } },
  ],
  [
    'a call with body and bodyFile, and one without an operation',
    {
      yaml: TARGET + 'probe:\n  calls:\n    - operation: createOrder\n      body: {}\n      bodyFile: b.json\n    - body: {}\n',
      want: {
        code: 'RECON_CONFIG_INVALID',
        problems: [
          { line: 7, column: 7, path: 'probe.calls[0]', message: 'give either body or bodyFile, not both' },
          { line: 10, column: 7, path: 'probe.calls[1]', message: "missing required key 'operation'" },
        ],
      },
    },
  ],
  [
    'an operation plan with a typo',
    {
      yaml: TARGET + 'probe:\n  operations:\n    getCustomer: { parameter: { id: 1 } }\n',
      want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 7, column: 20, path: 'probe.operations.getCustomer.parameter', message: "unknown key 'parameter' (did you mean 'parameters'?)" }] },
    },
  ],
  [
    'base URLs and token URLs that are not http(s) URLs',
    {
      yaml: `version: 1
targets:
  a: { baseUrl: "api.example.com/v1" }
  b: { baseUrl: "ftp://files.example.com" }
  c: { baseUrl: "https://user:pw@api.example.com" }
  d: { baseUrl: "https://api.example.com/?tenant=1" }
  e:
    baseUrl: \${env:E_URL}
    auth: { type: oauth2-client-credentials, tokenUrl: /oauth/token, clientId: x, clientSecret: "\${env:S}" }
`,
      env: { E_URL: 'https://e.example', S: 's' },
      want: {
        code: 'RECON_CONFIG_INVALID',
        problems: [
          { line: 3, path: 'targets.a.baseUrl', message: 'expected an absolute http(s) URL, e.g. https://api.vendor.example/v1' },
          { line: 4, path: 'targets.b.baseUrl', message: 'expected an http(s) URL, found a ftp URL' },
          { line: 5, path: 'targets.c.baseUrl', message: 'credentials do not belong in the URL (recon.yaml is committed); use auth' },
          { line: 6, path: 'targets.d.baseUrl', message: 'a base URL has no query or fragment: paths are appended to it' },
          { line: 9, path: 'targets.e.auth.tokenUrl', message: 'expected an absolute http(s) URL, e.g. https://api.vendor.example/v1' },
        ],
      },
    },
  ],
  // The file as a whole.
  ['YAML syntax error', { yaml: TARGET + '    headers: { a: [1 }\n', want: { code: 'RECON_CONFIG_SYNTAX', problems: [{ line: 5, path: '' }] } }],
  ['duplicate key', { yaml: TARGET + '    budget: 1\n    budget: 2\n', want: { code: 'RECON_CONFIG_SYNTAX', problems: [{ line: 6, column: 5, path: '', message: 'invalid YAML: Map keys must be unique' }] } }],
  ['empty file', { yaml: '', want: { code: 'RECON_CONFIG_INVALID', problems: [{ path: '', message: 'the file is empty' }] } }],
  ['only comments', { yaml: '# nothing yet\n\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ path: '', message: 'the file is empty' }] } }],
  ['a list', { yaml: '- version: 1\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 1, column: 1, message: 'expected a mapping of keys (version, targets, …), found a list' }] } }],
  ['a scalar', { yaml: 'hello\n', want: { code: 'RECON_CONFIG_INVALID', problems: [{ line: 1, column: 1, message: 'expected a mapping of keys (version, targets, …), found a single value' }] } }],
  ['two documents', { yaml: TARGET + '---\n' + TARGET, want: { code: 'RECON_CONFIG_SYNTAX', problems: [{ line: 5 }] } }],
  [
    '__proto__ keys anywhere',
    {
      yaml: TARGET + '    headers:\n      __proto__: { polluted: yes }\n__proto__: { polluted: yes }\n',
      want: {
        code: 'RECON_CONFIG_INVALID',
        problems: [
          { line: 6, column: 7, message: "the key '__proto__' is not allowed" },
          { line: 7, column: 1, message: "the key '__proto__' is not allowed" },
        ],
      },
    },
  ],
  // References.
  [
    'unset and empty environment variables',
    {
      yaml: `${TARGET}    auth: { type: bearer, token: "\${env:ERP_TOKEN}" }
    headers: { X-Tenant: "\${env:TENANT}", X-Empty: "\${env:EMPTY}" }
  other:
    baseUrl: https://o.example
    auth: { type: bearer, token: "\${env:EMPTY}" }
`,
      env: { EMPTY: '' },
      want: {
        code: 'RECON_CONFIG_UNRESOLVED',
        problems: [
          { line: 5, column: 27, path: 'targets.sandbox.auth.token', message: 'the environment variable ERP_TOKEN is not set (referenced as ${env:ERP_TOKEN})' },
          { line: 6, path: 'targets.sandbox.headers.X-Tenant', message: 'the environment variable TENANT is not set (referenced as ${env:TENANT})' },
          { line: 9, path: 'targets.other.auth.token', message: 'the environment variable EMPTY is empty (referenced as ${env:EMPTY})' },
        ],
      },
    },
  ],
  [
    'missing, empty and directory files',
    {
      yaml: `${TARGET}    auth: { type: bearer, token: "\${file:./secrets/token}" }
    tls: { ca: "\${file:certs}", cert: "\${file:./empty.pem}", key: "\${file:./empty.pem}" }
`,
      files: { 'certs/ca.pem': 'x', 'empty.pem': '' },
      want: {
        code: 'RECON_CONFIG_UNRESOLVED',
        problems: [
          { line: 5, path: 'targets.sandbox.auth.token', message: expect.stringMatching(/^cannot read \$\{file:\.\/secrets\/token\}: no such file \(.*secrets\/token\)$/) as unknown as string },
          { line: 6, path: 'targets.sandbox.tls.ca', message: expect.stringMatching(/^cannot read \$\{file:certs\}: .*certs is a directory$/) as unknown as string },
          { line: 6, path: 'targets.sandbox.tls.key', message: 'the file ./empty.pem is empty (referenced as ${file:./empty.pem})' },
        ],
      },
    },
  ],
  [
    'unknown and unterminated references',
    {
      yaml: TARGET + '    headers: { A: "${vault:secret/x}", B: "${env:X", C: "${env:bad-name}" }\n',
      want: {
        code: 'RECON_CONFIG_UNRESOLVED',
        problems: [
          { path: 'targets.sandbox.headers.A', message: "unknown reference '${vault:secret/x}'; write ${env:NAME} or ${file:./path} (or $${ for a literal ${)" },
          { path: 'targets.sandbox.headers.B', message: "unterminated reference '${…'; write ${env:NAME} or ${file:./path} (or $${ for a literal ${)" },
          { path: 'targets.sandbox.headers.C', message: "'${env:bad-name}' is not a valid environment variable name" },
        ],
      },
    },
  ],
  [
    'body files that are missing or not JSON',
    {
      yaml: TARGET + 'probe:\n  calls:\n    - { operation: a, bodyFile: bodies/missing.json }\n    - { operation: b, bodyFile: bodies/bad.json }\n    - { operation: c, bodyFile: bodies/empty.json }\n',
      files: { 'bodies/bad.json': '{\n  "customerId": 10001,\n  "note": }\n', 'bodies/empty.json': '\n' },
      want: {
        code: 'RECON_CONFIG_UNRESOLVED',
        problems: [
          { line: 7, column: 23, path: 'probe.calls[0].bodyFile', message: expect.stringMatching(/^no such file: bodies\/missing\.json \(/) as unknown as string },
          { line: 8, column: 23, path: 'probe.calls[1].bodyFile', message: "bodies/bad.json:3:11: invalid JSON (Unexpected token '}')" },
          { line: 9, path: 'probe.calls[2].bodyFile', message: 'bodies/empty.json is empty; a body file holds one JSON value' },
        ],
      },
    },
  ],
];

describe('loadConfig: every problem, placed', () => {
  it.each(invalid)('%s', async (_name, { want, ...given }) => {
    const error = await loadError(given);
    expect(error.code).toBe(want.code);
    expect(error.exitCode).toBe(2);
    expect(error.problems).toHaveLength(want.problems.length);
    want.problems.forEach((problem, index) => expect(error.problems[index]).toMatchObject(problem));
    // Every problem is one line of the message, in the editor-friendly shape.
    for (const problem of error.problems) {
      const where = problem.line === undefined ? 'recon.yaml' : `recon.yaml:${problem.line}:${problem.column}`;
      expect(error.message).toContain(problem.path === '' ? `${where}: ${problem.message}` : `${where} ${problem.path}: ${problem.message}`);
    }
  });

  it('summarises several problems on the first line, then one line each', async () => {
    const error = await loadError({ yaml: TARGET + '    budjet: 3\n    writes: 1\n' });
    expect(error.message.split('\n')).toEqual([
      'recon.yaml has 2 problems:',
      "  recon.yaml:5:5 targets.sandbox.budjet: unknown key 'budjet' (did you mean 'budget'?)",
      '  recon.yaml:6:5 targets.sandbox.writes: expected true or false, found a whole number',
    ]);
    expect(error.hint).toContain('recon-config.schema.json');
  });

  it('hints at quoting when a reference breaks a { } mapping', async () => {
    const error = await loadError({ yaml: TARGET + '    tls: { ca: ${file:./certs/ca.pem}, rejectUnauthorized: true }\n' });
    expect(error.code).toBe('RECON_CONFIG_SYNTAX');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 5, column: 17 }); // the { after the $
    expect(error.hint).toBe('inside { } or [ ], quote references: { ca: "${file:./certs/ca.pem}" }');
  });

  it('refuses a YAML alias bomb quickly', async () => {
    const started = Date.now();
    const error = await loadConfig(join(FIXTURES, 'bad', 'alias-bomb.yaml'), { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'RECON_CONFIG_SYNTAX', problems: [{ message: 'the YAML expands more than 100 aliases; no recon file needs that many' }] });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('does not let __proto__ pollute prototypes', async () => {
    await loadError({ yaml: TARGET + '__proto__: { polluted: true }\n' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses deep nesting without a crash', async () => {
    const error = await loadError({ yaml: TARGET + 'probe:\n  parameters:\n    deep: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n' });
    expect(['RECON_CONFIG_SYNTAX', 'RECON_CONFIG_INVALID']).toContain(error.code);
  });

  it.each([
    ['a missing file', 'nope.yaml', 'RECON_CONFIG_NOT_FOUND', 'nope.yaml: no such file'],
    ['a directory', 'bad', 'RECON_CONFIG_UNREADABLE', 'bad: is a directory, not a file'],
    ['invalid UTF-8', 'bad/invalid-utf8.yaml', 'RECON_CONFIG_UNREADABLE', 'bad/invalid-utf8.yaml: is not valid UTF-8 text'],
  ])('refuses %s', async (_name, path, code, message) => {
    const error = await loadConfig(path, { cwd: FIXTURES, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code, message });
  });

  it('refuses a file larger than 1 MiB', async () => {
    const error = await loadError({ yaml: TARGET + '# ' + 'x'.repeat(1024 * 1024) + '\n' });
    expect(error).toMatchObject({ code: 'RECON_CONFIG_UNREADABLE' });
    expect(error.message).toMatch(/a recon\.yaml is at most 1048576 bytes/);
  });

  it('shows the file relative to the working directory, or absolute outside it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'recon.yaml'), 'version: 3\n');
    const inside = await rejection(loadConfig('sub/recon.yaml', { cwd: dir, env: {} }));
    expect(inside.message).toContain("\n  sub/recon.yaml:1:1 version: recon reads version 1");
    const outside = await rejection(loadConfig(join(dir, 'sub', 'recon.yaml'), { cwd: join(tmpdir(), 'elsewhere'), env: {} }));
    expect(outside.file).toBe(join(dir, 'sub', 'recon.yaml'));
  });
});

describe('loadConfig: secrets', () => {
  const yaml = `${TARGET}    auth:
      type: oauth2-client-credentials
      tokenUrl: http://127.0.0.1:4010/oauth/token
      clientId: \${env:CLIENT_ID}
      clientSecret: \${env:CLIENT_SECRET}
    headers: { X-Tenant: "\${env:TENANT_KEY}", Authorization-Extra: "Bearer \${file:./secrets/token}", X-Plain: demo }
  prod:
    baseUrl: https://erp.example.com
    auth: { type: bearer, token: "\${file:./secrets/token}" }
    tls: { cert: "\${file:./certs/client.pem}", key: "\${file:./secrets/client.key}", passphrase: "\${env:KEY_PASSPHRASE}" }
`;
  const pem = '-----BEGIN PRIVATE KEY-----\nfixture\n-----END PRIVATE KEY-----\n';
  const files = { 'secrets/token': 'file-token\r\n', 'secrets/client.key': pem, 'certs/client.pem': '-----BEGIN CERTIFICATE-----\nc\n-----END CERTIFICATE-----\n' };
  const env = { CLIENT_ID: 'acme-demo', CLIENT_SECRET: CANARY, TENANT_KEY: 'tenant-key', KEY_PASSPHRASE: 'passphrase' };

  it('resolves references and lists the secret values (and those in headers), not the others', async () => {
    const config = await load({ yaml, env, files });
    const sandbox = config.targets.sandbox!;
    expect(sandbox.auth).toEqual({ type: 'oauth2-client-credentials', tokenUrl: 'http://127.0.0.1:4010/oauth/token', clientId: 'acme-demo', clientSecret: CANARY, authMethod: 'client_secret_basic' });
    expect(sandbox.headers).toEqual({ 'X-Tenant': 'tenant-key', 'Authorization-Extra': 'Bearer file-token', 'X-Plain': 'demo' });
    // A one-line file loses its newline; a PEM keeps it.
    expect(config.targets.prod!.auth).toEqual({ type: 'bearer', token: 'file-token' });
    expect(config.targets.prod!.tls.key).toBe(pem);
    expect(config.secrets).toEqual([CANARY, 'tenant-key', 'file-token', pem, 'passphrase']);
    expect(config.secrets).not.toContain('acme-demo');
  });

  it('canary: a secret from ${env:…} is in config.secrets and in no error message', async () => {
    const config = await load({ yaml, env, files });
    expect(config.secrets).toContain(CANARY);

    const messages: string[] = [];
    const collect = async (given: Given) => {
      const error = await loadError(given);
      messages.push(error.message, error.hint ?? '', ...error.problems.map((p) => p.message));
    };
    // The secret written literally where a reference belongs.
    await collect({ yaml: yaml.replace('${env:CLIENT_SECRET}', CANARY), env, files });
    // The secret resolved, while another reference fails.
    await collect({ yaml: yaml.replace('${env:KEY_PASSPHRASE}', '${env:MISSING}'), env, files });
    // The secret resolved into a URL that is then refused.
    await collect({ yaml: yaml.replace('baseUrl: http://127.0.0.1:4010/api/v1', 'baseUrl: ${env:CLIENT_SECRET}'), env, files });
    // A reference to the secret where a number belongs.
    await collect({ yaml: yaml.replace('    auth:\n', '    budget: ${env:CLIENT_SECRET}\n    auth:\n'), env, files });
    expect(messages.length).toBeGreaterThan(4);
    for (const message of messages) expect(message).not.toContain(CANARY);
  });

  it('keeps $${ as a literal ${', async () => {
    const config = await load({ yaml: TARGET + '    headers: { X-Template: "$${not-a-ref} and ${env:A}" }\n', env: { A: 'a' } });
    expect(config.targets.sandbox!.headers['X-Template']).toBe('${not-a-ref} and a');
  });
});

describe('loadConfig: defaults and the full format', () => {
  it('writes every default out', async () => {
    const config = await load({ yaml: TARGET });
    expect(config).toEqual({
      version: 1,
      file: expect.stringMatching(/recon\.yaml$/) as unknown as string,
      targets: {
        sandbox: {
          name: 'sandbox',
          baseUrl: 'http://127.0.0.1:4010/api/v1',
          auth: { type: 'none' },
          tls: { rejectUnauthorized: true },
          writes: false,
          budget: 200,
          concurrency: 2,
          rateLimit: 5,
          timeoutSeconds: 30,
          maxResponseBytes: 10 * 1024 * 1024,
          headers: {},
        },
      },
      probe: { parameters: {}, operations: {}, calls: [], maxPages: 3, idempotencyHeader: 'Idempotency-Key' },
      redaction: { headers: [], queryParams: [], jsonPaths: [] },
      recordings: 'fixtures',
      secrets: [],
    } satisfies ReconConfig);
  });

  it('the schema documents the same defaults as the code', () => {
    const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as { properties: Record<string, { default?: unknown }>; $defs: Record<string, { properties: Record<string, { default?: unknown }> }> };
    const defaultsOf = (name: string) => Object.fromEntries(Object.entries(schema.$defs[name]!.properties).flatMap(([key, s]) => (s.default === undefined ? [] : [[key, s.default]])));
    expect(schema.properties.recordings!.default).toBe(CONFIG_DEFAULTS.recordings);
    expect(defaultsOf('target')).toEqual(CONFIG_DEFAULTS.target);
    expect(defaultsOf('tls')).toEqual(CONFIG_DEFAULTS.tls);
    expect(defaultsOf('probe')).toEqual(CONFIG_DEFAULTS.probe);
    expect(defaultsOf('authApiKey')).toEqual({ in: CONFIG_DEFAULTS.apiKeyIn });
    expect(defaultsOf('authOAuth2ClientCredentials')).toEqual({ authMethod: CONFIG_DEFAULTS.oauth2AuthMethod });
    expect(defaultsOf('authJwtBearer')).toEqual({ lifetimeSeconds: CONFIG_DEFAULTS.jwtLifetimeSeconds });
    expect(schema).toMatchObject({ $id: 'https://recon.dev/schemas/recon-config-1.json', $schema: 'https://json-schema.org/draft/2020-12/schema' });
  });

  it('loads every key of the format (fixtures/config/full)', async () => {
    const env = { ACME_CLIENT_ID: 'acme-demo', ACME_CLIENT_SECRET: CANARY, ACME_TENANT_SECRET: 'tenant', CLIENT_KEY_PASSPHRASE: 'pass', LEGACY_PASSWORD: 'legacy', BEARER_TOKEN: 'bearer' };
    const config = await loadConfig(join(FIXTURES, 'full', 'recon.yaml'), { env });
    const key = readFileSync(join(FIXTURES, 'full', 'secrets', 'client-key.pem'), 'utf8');
    const ca = readFileSync(join(FIXTURES, 'full', 'certs', 'ca.pem'), 'utf8');
    expect(config.recordings).toBe('recordings');
    expect(config.targets.sandbox).toMatchObject({ writes: true, budget: 50, concurrency: 4, rateLimit: 2.5, timeoutSeconds: 10, maxResponseBytes: 1048576, spec: 'specs/acme-erp.openapi.yaml' });
    expect(config.targets.sandbox!.auth).toMatchObject({ clientId: 'acme-demo', scope: 'erp.read', audience: 'acme', authMethod: 'client_secret_post' });
    expect(config.targets.test).toMatchObject({ auth: { type: 'apiKey', in: 'query', name: 'api_key', value: 'file-token-0001' }, tls: { ca, cert: ca, key, passphrase: 'pass', rejectUnauthorized: false } });
    expect(config.targets.basic!.auth).toEqual({ type: 'basic', username: 'integration', password: 'legacy' });
    expect(config.targets.maskinporten!.auth).toEqual({
      type: 'jwt-bearer',
      tokenUrl: 'https://test.maskinporten.no/token',
      issuer: '11111111-2222-3333-4444-555555555555',
      audience: 'https://test.maskinporten.no/',
      scope: 'vendor:erp.read',
      privateKey: key,
      certificate: ca,
      keyId: 'key-1',
      resource: 'https://api.example.no',
      lifetimeSeconds: 120,
    });
    expect(config.probe).toEqual({
      parameters: { companySlug: 'demo', ids: [1, 2] },
      operations: { getCustomer: { parameters: { customerId: 10001 } }, 'GET /internal/report': { parameters: {}, skip: 'takes minutes on the vendor' } },
      calls: [
        { operation: 'createOrder', parameters: {}, body: { customerId: 10001, items: [{ productId: 5001, quantity: 3 }] }, headers: { 'X-Request-Source': 'recon' }, idempotencyCheck: true },
        { operation: 'POST /customers', parameters: { dryRun: true }, body: { name: 'Nordvik AS', note: 'costs ${price}' }, headers: {}, idempotencyCheck: false },
      ],
      maxPages: 5,
      idempotencyHeader: 'X-Idempotency-Key',
    });
    expect(config.redaction).toEqual({ headers: ['X-Tenant-Secret'], queryParams: ['api_key'], jsonPaths: ['customer.ssn', '**.iban'] });
    expect(new Set(config.secrets)).toEqual(new Set([CANARY, 'tenant', 'file-token-0001', key, 'pass', 'legacy', 'bearer']));
    expect(resolveConfigPath(config, config.targets.sandbox!.spec!)).toBe(join(FIXTURES, 'full', 'specs', 'acme-erp.openapi.yaml'));
    expect(resolveConfigPath(config, 'https://x.example/api.json')).toBe('https://x.example/api.json');
  });
});

describe('findConfig', () => {
  it('finds recon.yaml in the directory or a parent, and stops at the repository root', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'repo', '.git'), { recursive: true });
    mkdirSync(join(root, 'repo', 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'recon.yaml'), TARGET); // above the repository: never found from inside it
    expect(await findConfig(join(root, 'repo', 'a', 'b'))).toBeUndefined();
    writeFileSync(join(root, 'repo', 'recon.yaml'), TARGET);
    expect(await findConfig(join(root, 'repo', 'a', 'b'))).toBe(join(root, 'repo', 'recon.yaml'));
    writeFileSync(join(root, 'repo', 'a', 'recon.yaml'), TARGET);
    expect(await findConfig(join(root, 'repo', 'a', 'b'))).toBe(join(root, 'repo', 'a', 'recon.yaml'));
    expect(await findConfig(join(root, 'repo', 'a'))).toBe(join(root, 'repo', 'a', 'recon.yaml'));
  });

  it('treats a .git file (worktree) as the root too, and ignores a recon.yaml directory', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'wt', 'recon.yaml'), { recursive: true });
    writeFileSync(join(root, 'wt', '.git'), 'gitdir: /elsewhere\n');
    writeFileSync(join(root, 'recon.yaml'), TARGET);
    expect(await findConfig(join(root, 'wt'))).toBeUndefined();
  });
});

describe('targetFromFlags', () => {
  /** Parse argv the way `recon probe` will, with the exported options. */
  function parseFlags(argv: string[]): TargetFlags {
    const command = new Command('probe').exitOverride();
    for (const option of targetFlagOptions()) command.addOption(option);
    command.parse(argv, { from: 'user' });
    return command.opts<TargetFlags>();
  }

  it('builds a target with the defaults of recon.yaml', () => {
    const target = targetFromFlags(parseFlags(['--base-url', 'http://127.0.0.1:4010/api/v1', '--spec', 'specs/acme.yaml']), { env: {} });
    expect(target).toEqual({
      name: 'default',
      baseUrl: 'http://127.0.0.1:4010/api/v1',
      spec: 'specs/acme.yaml',
      auth: { type: 'none' },
      tls: { rejectUnauthorized: true },
      ...CONFIG_DEFAULTS.target,
      headers: {},
    });
  });

  it.each<[string, string[], Record<string, string>, unknown]>([
    ['API key in a header', ['--api-key-header', 'X-Api-Key', '--api-key-env', 'K'], { K: 'key' }, { type: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'key' }],
    ['API key in the query', ['--api-key-query', 'api_key', '--api-key-env', 'K'], { K: 'key' }, { type: 'apiKey', in: 'query', name: 'api_key', value: 'key' }],
    ['bearer', ['--bearer-env', 'T'], { T: 'tok' }, { type: 'bearer', token: 'tok' }],
    ['basic', ['--basic-user', 'u', '--basic-password-env', 'P'], { P: 'pw' }, { type: 'basic', username: 'u', password: 'pw' }],
    [
      'OAuth2 client credentials',
      ['--client-id', 'acme-demo', '--client-secret-env', 'S', '--token-url', 'http://127.0.0.1:4010/oauth/token', '--scope', 'erp.read', '--auth-method', 'client_secret_post'],
      { S: 'sec' },
      { type: 'oauth2-client-credentials', clientId: 'acme-demo', clientSecret: 'sec', tokenUrl: 'http://127.0.0.1:4010/oauth/token', scope: 'erp.read', authMethod: 'client_secret_post' },
    ],
  ])('auth: %s', (_name, argv, env, auth) => {
    const target = targetFromFlags(parseFlags(['--base-url', 'https://api.example.com', ...argv]), { env });
    expect(target.auth).toEqual(auth);
    expect(targetSecrets(target)).toEqual([Object.values(env)[0]]);
  });

  it.each<[string, string[], Record<string, string>, string]>([
    ['two schemes', ['--bearer-env', 'T', '--client-id', 'x'], { T: 't' }, 'choose one way to authenticate; these flags mix 2: --bearer-env | --client-id'],
    ['an API key without a place', ['--api-key-env', 'K'], { K: 'k' }, '--api-key-env needs --api-key-header <name> or --api-key-query <name>'],
    ['a user without a password', ['--basic-user', 'u'], {}, '--basic-password-env <VAR> is required'],
    ['OAuth2 without a secret or token URL', ['--client-id', 'x'], {}, 'OAuth2 client credentials need --client-secret-env, --token-url as well'],
    ['an unset variable', ['--bearer-env', 'NOPE'], {}, '--bearer-env: the environment variable NOPE is not set'],
    ['an empty variable', ['--bearer-env', 'E'], { E: '' }, '--bearer-env: the environment variable E is empty'],
    ['the secret itself instead of a name', ['--bearer-env', `${CANARY}!`], {}, '--bearer-env takes the NAME of an environment variable (e.g. ACME_CLIENT_SECRET), not the secret itself'],
    ['a relative base URL', [], {}, '--base-url: expected an absolute http(s) URL, e.g. https://api.vendor.example/v1'],
    ['half of mutual TLS', ['--tls-cert', 'c.pem'], {}, 'mutual TLS needs both --tls-cert and --tls-key'],
  ])('refuses %s', (name, argv, env, message) => {
    const baseUrl = name === 'a relative base URL' ? '/api' : 'https://api.example.com';
    const run = () => targetFromFlags(parseFlags(['--base-url', baseUrl, ...argv]), { env });
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });

  it('reads TLS files relative to cwd and takes limits and headers', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    writeFileSync(join(dir, 'k.pem'), 'KEY');
    const flags = parseFlags([
      '--base-url', 'https://api.example.com',
      '--tls-ca', 'ca.pem', '--tls-cert', 'ca.pem', '--tls-key', 'k.pem', '--tls-passphrase-env', 'PP', '--tls-insecure',
      '--budget', '20', '--concurrency', '1', '--rate-limit', '0.5', '--timeout', '5', '--max-response-bytes', '1000',
      '--header', 'X-Tenant: demo', '--header', 'X-Other: 2',
    ]); // prettier-ignore
    const target = targetFromFlags(flags, { env: { PP: 'pp' }, cwd: dir, name: 'cli' });
    expect(target).toMatchObject({
      name: 'cli',
      tls: { ca: 'CA', cert: 'CA', key: 'KEY', passphrase: 'pp', rejectUnauthorized: false },
      budget: 20,
      concurrency: 1,
      rateLimit: 0.5,
      timeoutSeconds: 5,
      maxResponseBytes: 1000,
      headers: { 'X-Tenant': 'demo', 'X-Other': '2' },
    });
    expect(targetSecrets(target)).toEqual(['KEY', 'pp']);
    expect(() => targetFromFlags({ ...flags, tlsCa: 'missing.pem' }, { env: { PP: 'pp' }, cwd: dir })).toThrow('--tls-ca: cannot read missing.pem (ENOENT)');
  });

  it('overrides a configured target with flags (withTargetFlags)', async () => {
    const config = await load({ yaml: TARGET + '    budget: 100\n    headers: { X-Tenant: demo }\n    auth: { type: bearer, token: "${env:T}" }\n', env: { T: 't' } });
    const target = withTargetFlags(config.targets.sandbox!, { budget: 10, header: { 'X-Debug': '1' } }, { env: {} });
    expect(target).toMatchObject({ name: 'sandbox', budget: 10, concurrency: 2, headers: { 'X-Tenant': 'demo', 'X-Debug': '1' }, auth: { type: 'bearer', token: 't' } });
  });
});

describe('jsonErrorPosition (where a body file goes wrong)', () => {
  it.each<[string, string, { line: number; column: number } | undefined]>([
    ['a value missing', '{\n  "a": }', { line: 2, column: 8 }],
    ['a trailing comma', '{"a": 1,}', { line: 1, column: 9 }],
    ['a single-quoted key', "{'a': 1}", { line: 1, column: 2 }],
    ['a comment', '// note\n{}', { line: 1, column: 1 }],
    ['a missing colon', '{"a" 1}', { line: 1, column: 6 }],
    ['an unclosed array', '[1, 2', { line: 1, column: 6 }],
    ['text after the value', '{} {}', { line: 1, column: 4 }],
    ['a control character in a string', '"a\u0001"', { line: 1, column: 3 }],
    ['a bad escape', '"\\x"', { line: 1, column: 3 }],
    ['a leading zero', '01', { line: 1, column: 2 }],
    ['deep nesting, closed wrong', '['.repeat(100_000) + ']'.repeat(99_999) + '}', { line: 1, column: 200_000 }],
  ])('%s', (_name, text, want) => {
    expect(jsonErrorPosition(text)).toEqual(want);
    if (want === undefined) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });
});
