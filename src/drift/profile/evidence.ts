/**
 * Evidence kept for profile findings: a few example values, cut short, and the first few
 * exchanges. The caller redacts the examples before they reach a file; keeping few and short
 * ones limits what there is to redact and what memory holds.
 */
import type { ExchangeRef } from '../types.js';

/** A string example cut to `max` characters (an ellipsis marks the cut). */
export function shortExample(value: unknown, max: number): unknown {
  if (typeof value !== 'string' || value.length <= max) return value;
  return value.slice(0, max - 1) + '…';
}

/** Push `value` while `list` holds fewer than `max` (first-seen order). */
export function keepFirst<T>(list: T[], value: T, max: number): void {
  if (list.length < max) list.push(value);
}

/** Cite an exchange once: the same response often shows a fact for many records. */
export function citeExchange(refs: ExchangeRef[], ref: ExchangeRef, max: number): void {
  if (refs.length >= max) return;
  const last = refs[refs.length - 1];
  if (last !== undefined && last.recording === ref.recording && last.entry === ref.entry) return;
  if (refs.some((r) => r.recording === ref.recording && r.entry === ref.entry)) return;
  refs.push(ref);
}

/** "3 of 80" style counts, with thousands separated for big recordings. */
export function ofTotal(count: number, total: number): string {
  return `${count.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
}
