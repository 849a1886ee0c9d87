/**
 * Pagination detection: how a list operation is documented to page (its query parameters), how
 * the server actually pages (Link header, page numbers, offsets, cursors in the body), and how
 * to ask for the next page.
 */
import type { OperationModel } from '../spec/index.js';
import { listItems } from './values.js';

export type PaginationStyle = 'link-header' | 'page' | 'offset' | 'cursor' | 'none';

export interface PaginationReport {
  operation: string;
  documented: PaginationStyle;
  observed: PaginationStyle;
  agrees: boolean;
  pagesFollowed: number;
  itemsSeen: number;
  /** The collection size the body claims (`total`, `fullResultSize`, `totalCount`…). */
  claimedTotal?: number;
  /** The collection size recon counted or worked out from the last page. */
  countedTotal?: number;
  notes: string[];
}

const PAGE_PARAMS = ['page', 'pageNumber', 'page_number', 'pageNo'];
const OFFSET_PARAMS = ['offset', 'from', 'skip', 'start'];
const CURSOR_PARAMS = ['cursor', 'pageToken', 'page_token', 'after', 'continuationToken', 'next'];
const TOTAL_FIELDS = ['total', 'totalCount', 'total_count', 'fullResultSize', 'totalItems', 'totalElements', 'count'];
const CURSOR_FIELDS = ['nextCursor', 'next_cursor', 'cursor', 'nextPageToken', 'next_page_token', 'continuationToken'];

export function documentedStyle(operation: OperationModel): PaginationStyle {
  const names = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  if (names.some((n) => CURSOR_PARAMS.includes(n))) return 'cursor';
  if (names.some((n) => PAGE_PARAMS.includes(n))) return 'page';
  if (names.some((n) => OFFSET_PARAMS.includes(n))) return 'offset';
  return 'none';
}

/** RFC 8288 Link header → rel → URL (resolved against the request URL). */
export function parseLinkHeader(value: string | undefined, base: string): Record<string, string> {
  const links: Record<string, string> = {};
  if (!value) return links;
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match) continue;
    const rel = /(?:^|;)\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2]!)?.[1];
    if (!rel) continue;
    try {
      for (const name of rel.trim().split(/\s+/)) links[name.toLowerCase()] = new URL(match[1]!, base).href;
    } catch {
      // An unparseable link target is the vendor's bug; it just does not count as a link.
    }
  }
  return links;
}

export interface PageObservation {
  style: PaginationStyle;
  /** URL of the next page, when the response says there is one. */
  next?: string;
  last?: string;
  items: number;
  claimedTotal?: number;
}

/** What one list response says about paging. */
export function observePage(url: string, linkHeader: string | undefined, body: unknown): PageObservation {
  const links = parseLinkHeader(linkHeader, url);
  const items = listItems(body)?.length ?? 0;
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const claimedTotal = TOTAL_FIELDS.map((f) => record[f]).find((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const withTotal = claimedTotal === undefined ? {} : { claimedTotal };
  if (links.next !== undefined || links.last !== undefined || links.prev !== undefined) {
    return { style: 'link-header', items, ...withTotal, ...(links.next ? { next: links.next } : {}), ...(links.last ? { last: links.last } : {}) };
  }
  const cursorField = CURSOR_FIELDS.find((f) => typeof record[f] === 'string' && record[f] !== '');
  if (cursorField !== undefined) {
    const next = new URL(url);
    next.searchParams.set(cursorField.startsWith('next') ? 'cursor' : cursorField, String(record[cursorField]));
    return { style: 'cursor', items, next: next.href, ...withTotal };
  }
  const current = new URL(url);
  if (PAGE_PARAMS.some((p) => typeof record[p] === 'number')) {
    const pageName = PAGE_PARAMS.find((p) => typeof record[p] === 'number')!;
    const page = record[pageName] as number;
    const more = items > 0 && (claimedTotal === undefined || seenThrough(record, page, items) < claimedTotal);
    if (more) current.searchParams.set(pageName, String(page + 1));
    return { style: 'page', items, ...withTotal, ...(more ? { next: current.href } : {}) };
  }
  const offsetName = OFFSET_PARAMS.find((p) => typeof record[p] === 'number');
  if (offsetName !== undefined) {
    const offset = record[offsetName] as number;
    const more = items > 0 && claimedTotal !== undefined && offset + items < claimedTotal;
    if (more) current.searchParams.set(offsetName, String(offset + items));
    return { style: 'offset', items, ...withTotal, ...(more ? { next: current.href } : {}) };
  }
  return { style: 'none', items, ...withTotal };
}

function seenThrough(record: Record<string, unknown>, page: number, items: number): number {
  const size = typeof record.pageSize === 'number' ? record.pageSize : items;
  return (page - 1) * size + items;
}

/** Items in all pages up to and including the last, worked out from the last page's URL. */
export function totalFromLastPage(lastUrl: string, lastItems: number, pageSize: number): number | undefined {
  const url = new URL(lastUrl);
  const page = PAGE_PARAMS.map((p) => url.searchParams.get(p)).find((v) => v !== null);
  if (page !== undefined && page !== null && /^\d+$/.test(page)) return (Number(page) - 1) * pageSize + lastItems;
  const offset = OFFSET_PARAMS.map((p) => url.searchParams.get(p)).find((v) => v !== null);
  if (offset !== undefined && offset !== null && /^\d+$/.test(offset)) return Number(offset) + lastItems;
  return undefined;
}
