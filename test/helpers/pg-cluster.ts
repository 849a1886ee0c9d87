/**
 * A throwaway PostgreSQL cluster of the tests' own: initdb in a temp dir, started with pg_ctl on a
 * free port of 127.0.0.1, so a test can restart, stop or kill the server without disturbing the
 * shared one other test files use. The tests run as root and PostgreSQL refuses to, so every
 * server command runs as the `postgres` OS user (`runuser -u postgres --`); run as another user,
 * it runs the commands directly. fsync is off — nothing here needs to survive a power cut — but
 * synchronous_commit stays on: a commit must survive the server being killed, which kill() does.
 *
 * @example
 * const cluster = await startPrivateCluster({ password: 's3cret' });
 * const store = await openStore(`${cluster.url}?schema=recon`);
 * await cluster.restart(); // the store waits and carries on
 * await cluster.stop();
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivateCluster {
  /** postgres://postgres[:password]@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /**
   * Stop with `-m fast` (sessions are terminated: 57P01), stay down `downMs` (connections are
   * refused meanwhile), start again.
   */
  restart(downMs?: number): Promise<void>;
  /** Stop it and remove its directory. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL the postmaster (a crash): the next start recovers from the WAL. */
  kill(): Promise<void>;
  /** Start it again after kill(). */
  start(): Promise<void>;
}

/** The newest PostgreSQL installed under /usr/lib/postgresql, or undefined. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(a) - Number(b));
  return versions.length === 0 ? undefined : join(root, versions.at(-1)!, 'bin');
}

/**
 * @param options.password  when set: TCP connections need it (scram-sha-256), so a wrong one fails with 28P01.
 */
export async function startPrivateCluster(options: { password?: string } = {}): Promise<PrivateCluster> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'recon-pg-'));
  const data = join(dir, 'data');
  if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const pgRun = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]) : run(join(bin, command), args);

  const pwfile = join(dir, 'pw');
  if (options.password !== undefined) {
    writeFileSync(pwfile, options.password + '\n', { mode: 0o600 });
    if (asRoot) chownSync(pwfile, uidOf('postgres'), gidOf('postgres'));
  }
  await pgRun('initdb', [
    '-D', data, '-U', 'postgres', '--no-sync', '--auth-local=trust',
    `--auth-host=${options.password === undefined ? 'trust' : 'scram-sha-256'}`,
    ...(options.password === undefined ? [] : [`--pwfile=${pwfile}`]),
  ]);
  const port = await freePort();
  const ctl = (action: string, extra: string[] = []) =>
    pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', ...extra, action,
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`]);
  await ctl('start');
  let stopped = false;
  const auth = options.password === undefined ? 'postgres' : `postgres:${encodeURIComponent(options.password)}`;
  return {
    url: `postgres://${auth}@127.0.0.1:${port}/postgres`,
    port,
    restart: async (downMs = 0) => {
      await ctl('stop', ['-m', 'fast']);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await ctl('start');
    },
    start: async () => void (await ctl('start')),
    kill: async () => {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      // The whole server, as a crash takes it: the postmaster and its backends (which would
      // otherwise hold the shared memory a new start needs).
      const pids = [pid, ...childrenOf(pid)];
      for (const p of pids) process.kill(p, 'SIGKILL');
      for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 100 && !(await portFree(port)); i++) await new Promise((r) => setTimeout(r, 20));
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await ctl('stop', ['-m', 'immediate']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Processes whose parent is `pid` (from /proc: Linux). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function uidOf(user: string): number {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (line === undefined) throw new Error(`no OS user ${user}`);
  return Number(line.split(':')[2]);
}

function gidOf(user: string): number {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (line === undefined) throw new Error(`no OS user ${user}`);
  return Number(line.split(':')[3]);
}
