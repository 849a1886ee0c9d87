/**
 * Telling someone: a Slack-compatible webhook (`{ text }` plus the alert as structured fields)
 * and/or a command that gets the alert JSON on stdin. Both are bounded by a timeout and never
 * throw: a notification that failed is reported and tried again at the next check. Neither the
 * webhook URL (Slack's carries its secret) nor the alert goes into a command's argv or a log.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { FiringAlert } from './conditions.js';

export type AlertStatus = 'firing' | 'resolved';

/** The JSON posted / piped: Slack shows `text`; everything else is for machines. */
export interface AlertMessage {
  text: string;
  status: AlertStatus;
  alert: Omit<FiringAlert, 'value' | 'threshold'> & { value: number; threshold: number; since: string; resolvedAt?: string };
}

export interface NotifyTarget {
  /** A stable id that does not reveal the target (a hash): kept in the store. */
  id: string;
  /** `webhook` or `command`, for messages. */
  kind: 'webhook' | 'command';
  send(message: AlertMessage): Promise<void>;
}

/** @example webhookTarget('https://hooks.slack.com/services/…', 5000) */
export function webhookTarget(url: string, timeoutMs: number): NotifyTarget {
  return {
    id: `webhook:${hash(url)}`,
    kind: 'webhook',
    async send(message) {
      const signal = AbortSignal.timeout(timeoutMs);
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await response.body.text().catch(() => '');
      if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`the webhook answered ${response.statusCode}`);
    },
  };
}

/** The command runs in a shell; the alert JSON arrives on its stdin, one document. */
export function commandTarget(command: string, timeoutMs: number, env: NodeJS.ProcessEnv): NotifyTarget {
  return {
    id: `command:${hash(command)}`,
    kind: 'command',
    send(message) {
      return new Promise<void>((resolve, reject) => {
        const child = spawn(command, { shell: true, stdio: ['pipe', 'ignore', 'pipe'], env });
        let stderr = '';
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the notify command took longer than ${timeoutMs} ms: killed`));
        }, timeoutMs);
        child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
        child.stdin.on('error', () => {});
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.once('close', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve();
          else reject(new Error(`the notify command exited ${code ?? 'on a signal'}${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`));
        });
        child.stdin.end(JSON.stringify(message) + '\n');
      });
    },
  };
}

/** The message for one alert's transition. */
export function alertMessage(alert: FiringAlert, status: AlertStatus, since: number, resolvedAt?: number): AlertMessage {
  const icon = status === 'firing' ? (alert.severity === 'critical' ? ':red_circle:' : ':warning:') : ':white_check_mark:';
  const head = `${icon} ${status === 'firing' ? 'FIRING' : 'RESOLVED'} ${alert.name} (${alert.severity}): ${alert.summary}`;
  const text = status === 'firing' ? [head, ...alert.evidence.map((e) => `• ${e}`), `runbook: ${alert.runbook}`].join('\n') : head;
  return {
    text,
    status,
    alert: { ...alert, since: new Date(since).toISOString(), ...(resolvedAt === undefined ? {} : { resolvedAt: new Date(resolvedAt).toISOString() }) },
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
