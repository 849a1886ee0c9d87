/**
 * A target from command-line flags, for `recon probe --base-url U --spec S` without a
 * recon.yaml, with the same defaults as the file. Secrets come only from environment variables
 * named by `--*-env` flags, never from flag values, so they stay out of shell history and `ps`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { headerFlag, integerFlag, numberFlag } from '../cli/flags.js';
import { httpUrlProblem } from './checks.js';
import { buildTarget, CONFIG_DEFAULTS } from './defaults.js';
import type { AuthConfig, TargetConfig, TlsConfig } from './types.js';

/** The flags as commander parses them (camelCase of the long flag). */
export interface TargetFlags {
  baseUrl: string;
  spec?: string;
  header?: Record<string, string>;
  budget?: number;
  concurrency?: number;
  rateLimit?: number;
  /** Seconds per call. */
  timeout?: number;
  maxResponseBytes?: number;
  apiKeyHeader?: string;
  apiKeyQuery?: string;
  apiKeyEnv?: string;
  bearerEnv?: string;
  basicUser?: string;
  basicPasswordEnv?: string;
  clientId?: string;
  clientSecretEnv?: string;
  tokenUrl?: string;
  scope?: string;
  audience?: string;
  authMethod?: 'client_secret_basic' | 'client_secret_post';
  /** PEM files, relative to the working directory. */
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsPassphraseEnv?: string;
  /** Do not verify the server certificate (a sandbox with a broken one). */
  tlsInsecure?: boolean;
}

export interface TargetFromFlagsOptions {
  env?: NodeJS.ProcessEnv;
  /** `--tls-*` files are relative to it. Default `process.cwd()`. */
  cwd?: string;
  /** The target's name (recordings go to `<recordings>/<name>/`). Default `default`. */
  name?: string;
}

/** One line for `--help`, after the flag list. */
export const TARGET_FLAGS_HELP = `
Credentials come from environment variables named by the --*-env flags (never from flag values,
so they stay out of shell history and process lists), e.g.:
  $ export ACME_CLIENT_SECRET=…   # or from your CI's secret store
  $ recon probe --base-url http://127.0.0.1:4010/api/v1 --spec specs/acme-erp.openapi.yaml \\
      --token-url http://127.0.0.1:4010/oauth/token --client-id acme-demo --client-secret-env ACME_CLIENT_SECRET`;

const D = CONFIG_DEFAULTS.target;

/**
 * Fresh commander options for every target flag, for a command to add:
 * `for (const option of targetFlagOptions()) command.addOption(option)`.
 */
export function targetFlagOptions(): Option[] {
  return [
    new Option('--base-url <url>', "the API's base URL, e.g. https://api.vendor.example/v2"),
    new Option('--spec <file-or-url>', "the vendor's API document"),
    new Option('--header <name: value>', 'send this header on every call (repeatable), e.g. a tenant id').argParser(headerFlag),
    new Option('--budget <n>', `most requests to make (default ${D.budget})`).argParser(integerFlag(1, 1_000_000)),
    new Option('--concurrency <n>', `requests in flight at once (default ${D.concurrency})`).argParser(integerFlag(1, 64)),
    new Option('--rate-limit <per-second>', `most requests per second recon sends (default ${D.rateLimit})`).argParser(numberFlag(0.001, 10_000)),
    new Option('--timeout <seconds>', `per call (default ${D.timeoutSeconds})`).argParser(numberFlag(0.001, 3600)),
    new Option('--max-response-bytes <n>', `largest response body kept (default ${D.maxResponseBytes})`).argParser(integerFlag(1, 1024 ** 3)),
    new Option('--api-key-header <name>', 'send an API key in this header (with --api-key-env)'),
    new Option('--api-key-query <name>', 'send an API key in this query parameter (with --api-key-env)'),
    new Option('--api-key-env <VAR>', 'environment variable holding the API key'),
    new Option('--bearer-env <VAR>', 'environment variable holding a bearer token'),
    new Option('--basic-user <user>', 'HTTP Basic user name (with --basic-password-env)'),
    new Option('--basic-password-env <VAR>', 'environment variable holding the HTTP Basic password'),
    new Option('--client-id <id>', 'OAuth2 client credentials: client id (with --client-secret-env and --token-url)'),
    new Option('--client-secret-env <VAR>', 'environment variable holding the OAuth2 client secret'),
    new Option('--token-url <url>', 'OAuth2 token endpoint'),
    new Option('--scope <scopes>', 'OAuth2 scopes to ask for, space-separated'),
    new Option('--audience <aud>', 'OAuth2 audience parameter, for token servers that want one'),
    new Option('--auth-method <method>', `how the client authenticates to the token endpoint (default ${CONFIG_DEFAULTS.oauth2AuthMethod})`).choices([
      'client_secret_basic',
      'client_secret_post',
    ]),
    new Option('--tls-ca <file>', "PEM CA bundle to trust (a vendor's private CA)"),
    new Option('--tls-cert <file>', 'PEM client certificate for mutual TLS (with --tls-key)'),
    new Option('--tls-key <file>', 'PEM private key for mutual TLS'),
    new Option('--tls-passphrase-env <VAR>', 'environment variable holding the --tls-key passphrase'),
    new Option('--tls-insecure', 'do not verify the server certificate (a sandbox with a broken one; reported as a risk)'),
  ];
}

/** Add every target flag to `command`. */
export function addTargetFlags(command: Command): Command {
  for (const option of targetFlagOptions()) command.addOption(option);
  return command;
}

/**
 * The target the flags describe, with every default of recon.yaml.
 *
 * @example
 * const target = targetFromFlags({ baseUrl: 'http://127.0.0.1:4010/api/v1', apiKeyHeader: 'X-Api-Key', apiKeyEnv: 'ACME_API_KEY' });
 */
export function targetFromFlags(flags: TargetFlags, options: TargetFromFlagsOptions = {}): TargetConfig {
  const base = buildTarget(options.name ?? 'default', { baseUrl: flags.baseUrl });
  return withTargetFlags(base, flags, options);
}

/**
 * `target` with what the flags say on top (base URL, spec, limits, extra headers; auth and TLS
 * when any of their flags is given): `recon probe --target sandbox --budget 20`.
 */
export function withTargetFlags(target: TargetConfig, flags: Partial<TargetFlags>, options: TargetFromFlagsOptions = {}): TargetConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (flags.baseUrl !== undefined) {
    const problem = httpUrlProblem(flags.baseUrl, true);
    if (problem) throw new UsageError(`--base-url: ${problem}`);
  }
  const auth = authFromFlags(flags, env);
  const tls = tlsFromFlags(flags, env, cwd, target.tls);
  return {
    ...target,
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.spec !== undefined ? { spec: flags.spec } : {}),
    ...(auth ? { auth } : {}),
    tls,
    budget: flags.budget ?? target.budget,
    concurrency: flags.concurrency ?? target.concurrency,
    rateLimit: flags.rateLimit ?? target.rateLimit,
    timeoutSeconds: flags.timeout ?? target.timeoutSeconds,
    maxResponseBytes: flags.maxResponseBytes ?? target.maxResponseBytes,
    headers: { ...target.headers, ...flags.header },
  };
}

/** Secret values a target holds (auth secrets, TLS key and passphrase), for redaction. */
export function targetSecrets(target: TargetConfig): string[] {
  const auth = target.auth;
  const values = [
    auth.type === 'apiKey' ? auth.value : undefined,
    auth.type === 'basic' ? auth.password : undefined,
    auth.type === 'bearer' ? auth.token : undefined,
    auth.type === 'oauth2-client-credentials' ? auth.clientSecret : undefined,
    auth.type === 'jwt-bearer' ? auth.privateKey : undefined,
    target.tls.key,
    target.tls.passphrase,
  ];
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

const AUTH_FLAG_GROUPS: Record<string, (keyof TargetFlags)[]> = {
  apiKey: ['apiKeyHeader', 'apiKeyQuery', 'apiKeyEnv'],
  bearer: ['bearerEnv'],
  basic: ['basicUser', 'basicPasswordEnv'],
  oauth2: ['clientId', 'clientSecretEnv', 'tokenUrl', 'scope', 'audience', 'authMethod'],
};

function authFromFlags(flags: Partial<TargetFlags>, env: NodeJS.ProcessEnv): AuthConfig | undefined {
  const given = Object.entries(AUTH_FLAG_GROUPS).filter(([, keys]) => keys.some((key) => flags[key] !== undefined));
  if (given.length === 0) return undefined;
  if (given.length > 1) {
    const used = given.map(([, keys]) => keys.filter((key) => flags[key] !== undefined).map(flagName).join(' '));
    throw new UsageError(`choose one way to authenticate; these flags mix ${given.length}: ${used.join(' | ')}`);
  }
  const scheme = given[0]![0];
  if (scheme === 'apiKey') {
    if (flags.apiKeyHeader !== undefined && flags.apiKeyQuery !== undefined) throw new UsageError('give --api-key-header or --api-key-query, not both');
    const name = flags.apiKeyHeader ?? flags.apiKeyQuery;
    if (name === undefined) throw new UsageError('--api-key-env needs --api-key-header <name> or --api-key-query <name>');
    return { type: 'apiKey', in: flags.apiKeyHeader !== undefined ? 'header' : 'query', name, value: secretFromEnv('apiKeyEnv', flags.apiKeyEnv, env) };
  }
  if (scheme === 'bearer') return { type: 'bearer', token: secretFromEnv('bearerEnv', flags.bearerEnv, env) };
  if (scheme === 'basic') {
    if (flags.basicUser === undefined) throw new UsageError('--basic-password-env needs --basic-user <user>');
    return { type: 'basic', username: flags.basicUser, password: secretFromEnv('basicPasswordEnv', flags.basicPasswordEnv, env) };
  }
  const missing = (['clientId', 'clientSecretEnv', 'tokenUrl'] as const).filter((key) => flags[key] === undefined);
  if (missing.length > 0) throw new UsageError(`OAuth2 client credentials need ${missing.map(flagName).join(', ')} as well`);
  const tokenUrlProblem = httpUrlProblem(flags.tokenUrl!, false);
  if (tokenUrlProblem) throw new UsageError(`--token-url: ${tokenUrlProblem}`);
  return {
    type: 'oauth2-client-credentials',
    tokenUrl: flags.tokenUrl!,
    clientId: flags.clientId!,
    clientSecret: secretFromEnv('clientSecretEnv', flags.clientSecretEnv, env),
    ...(flags.scope !== undefined ? { scope: flags.scope } : {}),
    ...(flags.audience !== undefined ? { audience: flags.audience } : {}),
    authMethod: flags.authMethod ?? CONFIG_DEFAULTS.oauth2AuthMethod,
  };
}

function tlsFromFlags(flags: Partial<TargetFlags>, env: NodeJS.ProcessEnv, cwd: string, base: TlsConfig): TlsConfig {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new UsageError('mutual TLS needs both --tls-cert and --tls-key');
  if (flags.tlsPassphraseEnv !== undefined && flags.tlsKey === undefined) throw new UsageError('--tls-passphrase-env needs --tls-key');
  const tls: TlsConfig = { ...base };
  if (flags.tlsCa !== undefined) tls.ca = readPem('tlsCa', flags.tlsCa, cwd);
  if (flags.tlsCert !== undefined) tls.cert = readPem('tlsCert', flags.tlsCert, cwd);
  if (flags.tlsKey !== undefined) tls.key = readPem('tlsKey', flags.tlsKey, cwd);
  if (flags.tlsPassphraseEnv !== undefined) tls.passphrase = secretFromEnv('tlsPassphraseEnv', flags.tlsPassphraseEnv, env);
  if (flags.tlsInsecure) tls.rejectUnauthorized = false;
  return tls;
}

/** The value of the variable a `--*-env` flag names. The flag's value is echoed only when it looks like a variable name. */
function secretFromEnv(flag: keyof TargetFlags, name: string | undefined, env: NodeJS.ProcessEnv): string {
  if (name === undefined) throw new UsageError(`${flagName(flag)} <VAR> is required`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(`${flagName(flag)} takes the NAME of an environment variable (e.g. ACME_CLIENT_SECRET), not the secret itself`, {
      hint: 'export the secret in your shell or CI, then pass its name',
    });
  }
  const value = env[name];
  if (value === undefined || value === '') {
    throw new UsageError(`${flagName(flag)}: the environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}`, {
      hint: `export ${name}=… (or set it in your CI's secret store) and run again`,
    });
  }
  return value;
}

function readPem(flag: keyof TargetFlags, file: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`${flagName(flag)}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}

/** `clientSecretEnv` → `--client-secret-env`. */
function flagName(key: keyof TargetFlags): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
