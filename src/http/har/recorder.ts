/**
 * Records exchanges as a HAR 1.2 log. Each exchange is redacted the moment it is added and only
 * the redacted entry is kept; the file is written atomically and readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RuntimeFailure } from '../../errors.js';
import { RECON_VERSION } from '../../version.js';
import type { Redactor } from '../redact/index.js';
import type { Exchange } from '../types.js';
import { exchangeToEntry } from './entry.js';
import type { Har, HarCreator, HarEntry, HarPage } from './types.js';

export interface HarRecorderOptions {
  redactor: Redactor;
  /** Default `{ name: 'recon', version: <package version> }`. */
  creator?: { name: string; version: string };
  comment?: string;
  /** When given, the log has one page with this title and every entry refers to it. */
  pageTitle?: string;
}

const PAGE_ID = 'page_1';

interface Recorded {
  entry: HarEntry;
  /** The redactor's secret count when the entry was redacted. */
  secrets: number;
}

/**
 * @example
 * const recorder = new HarRecorder({ redactor: createRedactor({ secrets }) });
 * client.onExchange = (exchange) => recorder.add(exchange);
 * await recorder.write('fixtures/acme/2025-01-02T10-00-00.har');
 */
export class HarRecorder {
  private readonly redactor: Redactor;
  private readonly creator: HarCreator;
  private readonly comment: string | undefined;
  private readonly pageTitle: string | undefined;
  private readonly recorded: Recorded[] = [];
  private readonly createdAt = new Date();

  constructor(options: HarRecorderOptions) {
    this.redactor = options.redactor;
    this.creator = { ...(options.creator ?? { name: 'recon', version: RECON_VERSION }) };
    this.comment = options.comment;
    this.pageTitle = options.pageTitle;
  }

  /** Redacts the exchange now; the unredacted exchange is not kept. */
  add(e: Exchange): void {
    const { exchange, report } = this.redactor.redactExchange(e);
    const entry = exchangeToEntry(exchange, report);
    if (this.pageTitle !== undefined) entry.pageref = PAGE_ID;
    this.recorded.push({ entry, secrets: this.redactor.secretCount });
  }

  get size(): number {
    return this.recorded.length;
  }

  toHar(): Har {
    this.rescrubStale();
    const har: Har = {
      log: {
        version: '1.2',
        creator: { ...this.creator },
        entries: this.recorded.map((r) => r.entry),
      },
    };
    if (this.pageTitle !== undefined) har.log.pages = [this.page()];
    if (this.comment !== undefined) har.log.comment = this.redactor.text(this.comment);
    return har;
  }

  /**
   * Writes the HAR: creates the directory, writes a temporary file beside the target with mode
   * 0600, syncs it and renames it over the target, so a reader never sees half a file and a
   * crash leaves the previous recording in place. Entries are serialised one at a time, so a
   * recording larger than the longest JavaScript string can still be written.
   */
  async write(path: string): Promise<void> {
    const har = this.toHar();
    const dir = dirname(path);
    const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      const file = await open(temp, 'wx', 0o600);
      try {
        await file.chmod(0o600); // the umask could only have narrowed it; make it exact
        const { entries, ...log } = har.log;
        const head = JSON.stringify({ log: { ...log, entries: [] } }, null, 2);
        const split = head.lastIndexOf('[]');
        await file.write(head.slice(0, split) + '[');
        for (let i = 0; i < entries.length; i++) {
          await file.write((i === 0 ? '\n      ' : ',\n      ') + JSON.stringify(entries[i], null, 2).replace(/\n/g, '\n      '));
        }
        await file.write((entries.length > 0 ? '\n    ' : '') + head.slice(split + 1) + '\n');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      const reason = (error as Error).message;
      throw new RuntimeFailure('RECON_HAR_WRITE_FAILED', `could not write the recording ${path}: ${reason}`, { cause: error });
    }
  }

  private page(): HarPage {
    const first = this.recorded[0]?.entry.startedDateTime ?? this.createdAt.toISOString();
    return {
      startedDateTime: first,
      id: PAGE_ID,
      title: this.redactor.text(this.pageTitle ?? ''),
      pageTimings: { onContentLoad: -1, onLoad: -1 },
    };
  }

  /**
   * A secret may become known after an entry was redacted (a token issued later, a secret the
   * caller adds at the end of a run): redact those entries again before they leave memory.
   */
  private rescrubStale(): void {
    const now = this.redactor.secretCount;
    for (const recorded of this.recorded) {
      if (recorded.secrets === now) continue;
      const changed = rescrub(recorded.entry, this.redactor);
      if (changed > 0) {
        const recon = (recorded.entry._recon ??= {});
        const redactions = (recon.redactions ??= {});
        redactions.secret = (redactions.secret ?? 0) + changed;
      }
      recorded.secrets = now;
    }
  }
}

/** Scrubs every string of an entry again, base64 content as bytes; returns how many changed. */
function rescrub(entry: HarEntry, redactor: Redactor): number {
  let changed = 0;
  const text = (s: string): string => {
    const out = redactor.text(s);
    if (out !== s) changed++;
    return out;
  };
  const base64 = (s: string): string => {
    const bytes = Buffer.from(s, 'base64');
    const out = redactor.bytes(bytes);
    if (out.equals(bytes)) return s;
    changed++;
    return out.toString('base64');
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return text(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = walk(node[i]);
    } else if (node !== null && typeof node === 'object') {
      const object = node as Record<string, unknown>;
      const binary = object['encoding'] === 'base64' || object['_encoding'] === 'base64';
      for (const key of Object.keys(object)) {
        const value = object[key];
        object[key] = binary && key === 'text' && typeof value === 'string' ? base64(value) : walk(value);
      }
    }
    return node;
  };
  walk(entry);
  return changed;
}
