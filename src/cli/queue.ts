/**
 * `recon queue`: look at a connector's durable queue and act on it — counts per state, the
 * messages in one state, one message with its audit trail, re-drive dead or parked messages
 * after a fix, cancel a queued one.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { integerFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';
import { storeLocationFrom, STORE_FLAG_HELP } from './store-flag.js';
import type { MessageState, QueuedMessage, Store, WorkerInfo } from '../runtime/index.js';

const STATES: MessageState[] = ['queued', 'leased', 'done', 'dead', 'parked'];

interface StoreFlags {
  connector?: string;
  store?: string;
  json?: boolean;
}

export function registerQueueCommand(program: Command, output: Output): void {
  const queue = program
    .command('queue')
    .summary("a connector's queue: status, list, inspect, retry, cancel")
    .description('Look at the durable queue `recon run` delivers from, and re-drive what did not go through.')
    .addHelpText(
      'after',
      examples([
        ['recon queue status', 'counts per state for every connector, oldest waiting message, rate and ETA, and the workers delivering'],
        ['recon queue list --connector push-invoices --state dead', 'the dead messages, with why'],
        ['recon queue inspect INV-1042 --connector push-invoices', 'one message and every call made for it'],
        ['recon queue retry --connector push-invoices --dead', 'every dead message back to the queue (after a fix)'],
        ['recon queue retry --connector push-invoices --parked INV-7', 'a parked message checked at the vendor: send it'],
        ['recon queue cancel INV-99 --connector push-invoices', 'never send this one (dead, reason "cancelled")'],
      ]) +
        '\nThe store is --store, else $RECON_STORE, else .recon/recon.db beside recon.yaml (found here or in a parent folder).\n' +
        EXIT_CODES_HELP,
    );
  const common = (command: Command, connector: 'required' | 'optional') =>
    command
      .option(`--connector <name>`, connector === 'required' ? 'the connector (its name, as in the connector file)' : 'only this connector')
      .option('--store <location>', STORE_FLAG_HELP)
      .option('--json', 'print one JSON document');

  common(queue.command('status').description('counts per state, the oldest waiting message, the rate and ETA of the last minute, and the workers delivering'), 'optional').action(
    async (flags: StoreFlags) =>
      withStore(flags, output, async (store) => {
        const stats = await store.stats(flags.connector);
        const workers = await store.workers(flags.connector);
        // A worker waiting on a connector that has no messages yet still gets a row.
        for (const connector of new Set(workers.map((w) => w.connector))) {
          if (!stats.some((s) => s.connector === connector)) stats.push(...(await store.stats(connector)));
        }
        stats.sort((a, b) => (a.connector < b.connector ? -1 : a.connector > b.connector ? 1 : 0));
        const now = Date.now();
        const rows = [];
        for (const s of stats) {
          // The rate: deliveries in the last minute, as the audit log shows them.
          const recent = await store.queryAudit({ connector: s.connector, since: new Date(now - 60_000).toISOString() });
          const perSecond = recent.filter((r) => r.outcome === 'done' || r.outcome === 'lookup-found').length / 60;
          const pending = s.counts.queued + s.counts.leased;
          rows.push({
            ...s,
            oldestPendingAgeSeconds: s.oldestPending === undefined ? undefined : Math.round((now - s.oldestPending) / 1000),
            ratePerSecond: Math.round(perSecond * 100) / 100,
            etaSeconds: pending === 0 ? 0 : perSecond > 0 ? Math.ceil(pending / perSecond) : undefined,
            workers: workers.filter((w) => w.connector === s.connector).map((w) => ({ ...w, stale: isStale(w) })),
          });
        }
        if (flags.json) return output.json(rows);
        if (rows.length === 0) return output.out(flags.connector ? `no messages for ${flags.connector}` : 'the queue is empty');
        output.out(table(['connector', ...STATES, 'oldest waiting', 'rate', 'ETA'], rows.map((r) => [
          r.connector,
          ...STATES.map((state) => String(r.counts[state])),
          r.oldestPendingAgeSeconds === undefined ? '-' : `${r.oldestPendingAgeSeconds}s`,
          `${r.ratePerSecond}/s`,
          r.etaSeconds === undefined ? '-' : `${r.etaSeconds}s`,
        ])));
        if (workers.length === 0) return;
        output.out('');
        output.out(table(['worker', 'connector', 'mode', 'state', 'host:pid', 'last heartbeat', 'leases', 'in flight'], workers.map((w) => [
          w.owner,
          w.connector,
          w.mode,
          isStale(w) ? 'stale (lease will run out)' : w.state,
          `${w.host}:${w.pid}`,
          ago(w.heartbeatAgeMs),
          String(w.leases),
          String(w.inFlight),
        ])));
      }),
  );

  common(queue.command('list').description('the messages of a connector, oldest first'), 'required')
    .addOption(new Option('--state <state>', 'only messages in this state').choices(STATES))
    .addOption(new Option('--limit <n>', 'at most this many').argParser(integerFlag(1, 1_000_000)).default(100))
    .action(async (flags: StoreFlags & { state?: MessageState; limit: number }) =>
      withStore(flags, output, async (store) => {
        const connector = required(flags);
        const messages = await store.list(connector, { ...(flags.state ? { state: flags.state } : {}), limit: flags.limit });
        if (flags.json) return output.json(messages);
        if (messages.length === 0) return output.out(`no ${flags.state ?? ''}${flags.state ? ' ' : ''}messages for ${connector}`);
        output.out(table(['id', 'state', 'attempts', 'updated', 'vendor id', 'reason'], messages.map((m) => [
          m.id, m.state, String(m.attempts), new Date(m.updatedAt).toISOString(), m.vendorId ?? '', oneLine(m.reason ?? '', 100),
        ])));
      }),
    );

  common(queue.command('inspect').description('one message: its state, payload and every call made for it').argument('<id>', 'the message id'), 'required').action(
    async (id: string, flags: StoreFlags) =>
      withStore(flags, output, async (store) => {
        const connector = required(flags);
        const message = await store.get(connector, id);
        if (message === undefined) throw new UsageError(`no message ${id} for ${connector}`, { code: 'RECON_QUEUE_NO_SUCH_MESSAGE' });
        const audit = await store.queryAudit({ connector, messageId: id });
        if (flags.json) return output.json({ message, audit });
        for (const line of describeMessage(message)) output.out(line);
        output.out(`calls (${audit.length}):`);
        for (const r of audit) output.out(`  #${r.seq} ${r.at} attempt ${r.attempt} ${r.method} ${r.url} → ${r.status ?? r.errorClass ?? '-'} ${r.outcome} (${r.durationMs} ms)`);
      }),
  );

  common(queue.command('retry').description('re-drive dead or parked messages: back to queued, delivered by the next recon run').argument('[ids...]', 'message ids (or --dead / --parked for all of them)'), 'required')
    .option('--dead', 'every dead message')
    .option('--parked', 'every parked message')
    .action(async (ids: string[], flags: StoreFlags & { dead?: boolean; parked?: boolean }) =>
      withStore(flags, output, async (store) => {
        const connector = required(flags);
        const which = flags.dead ? 'dead' : flags.parked ? 'parked' : ids;
        if ((flags.dead || flags.parked) && ids.length > 0) throw new UsageError('give message ids or --dead / --parked, not both');
        if (flags.dead && flags.parked) throw new UsageError('give --dead or --parked, not both (run it twice)');
        if (Array.isArray(which) && which.length === 0) throw new UsageError('say which messages: ids, --dead or --parked');
        const count = await store.requeue(connector, which, Date.now());
        if (flags.json) return output.json({ connector, requeued: count });
        output.out(`${count} message${count === 1 ? '' : 's'} queued again; deliver them with recon run`);
      }),
    );

  common(queue.command('cancel').description('never send a queued message: it becomes dead with the reason "cancelled"').argument('<id>', 'the message id'), 'required').action(
    async (id: string, flags: StoreFlags) =>
      withStore(flags, output, async (store) => {
        const connector = required(flags);
        const cancelled = await store.cancel(connector, id, Date.now());
        if (!cancelled) {
          const message = await store.get(connector, id);
          throw new UsageError(message ? `${id} is ${message.state}, not queued: only queued messages can be cancelled` : `no message ${id} for ${connector}`, { code: 'RECON_QUEUE_NOT_CANCELLABLE' });
        }
        if (flags.json) return output.json({ connector, id, cancelled: true });
        output.out(`${id} cancelled`);
      }),
  );
}

/** Open the store the flags name (or the workspace's), run `use`, close it. */
export async function withStore(flags: { store?: string }, output: Output, use: (store: Store) => Promise<void>): Promise<void> {
  const { openStore, defaultStoreLocation } = await import('../runtime/index.js');
  const location = await storeLocationFrom(flags.store, output.env, () => defaultStoreLocation(output.cwd));
  const store = await openStore(location, { cwd: output.cwd });
  try {
    await use(store);
  } finally {
    await store.close();
  }
}

/**
 * A worker whose last heartbeat is older than its lease: it stopped beating (killed, hung, cut
 * off from the store), and its leases run out — or have — for another worker to take. The lease
 * length is what its last heartbeat gave (`leaseUntil - lastHeartbeat`); a worker holding nothing
 * is stale after three of the longest heartbeat gaps.
 */
function isStale(w: WorkerInfo): boolean {
  const leaseMs = w.leaseUntil !== undefined ? Math.max(0, w.leaseUntil - w.lastHeartbeat) : 30_000;
  return w.heartbeatAgeMs > leaseMs;
}

/** `3s ago`, `4m ago`, `2h ago`. */
function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ago`;
}

function required(flags: StoreFlags): string {
  if (flags.connector === undefined || flags.connector === '') throw new UsageError('say which connector with --connector NAME');
  return flags.connector;
}

function describeMessage(m: QueuedMessage): string[] {
  const lines = [
    `${m.connector} ${m.id}: ${m.state}, ${m.attempts} attempt${m.attempts === 1 ? '' : 's'}`,
    `  queued ${new Date(m.enqueuedAt).toISOString()}, updated ${new Date(m.updatedAt).toISOString()}`,
    `  idempotency key ${m.idempotencyKey}${m.outcomeUnknown ? ' (an attempt may have reached the vendor with no known outcome)' : ''}`,
  ];
  if (m.vendorId !== undefined) lines.push(`  vendor id ${m.vendorId}`);
  if (m.state === 'queued' && m.notBefore > Date.now()) lines.push(`  not before ${new Date(m.notBefore).toISOString()}`);
  if (m.leaseOwner !== undefined) lines.push(`  leased by ${m.leaseOwner} until ${new Date(m.leaseUntil ?? 0).toISOString()}`);
  if (m.reason !== undefined) lines.push(`  reason: ${m.reason}`);
  lines.push(`  payload: ${oneLine(JSON.stringify(m.payload), 500)}`);
  return lines;
}

/** Columns padded to their widest cell. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
