/**
 * Where a pull is in the vendor's list, per pagination style, and the request for that place.
 * The position is what the store keeps between runs (`pull:<connector>`).
 */
import { parseLinkHeader } from '../../probe/index.js';
import { getAtPointer } from '../../spec/index.js';
import type { OutgoingRequest } from '../../http/index.js';
import type { PaginationDefinition } from '../connector/index.js';
import { PullError } from './errors.js';

/** One of these is set, by style: the next link, page number, offset or cursor. None: the first page. */
export interface PullPosition {
  url?: string;
  page?: number;
  offset?: number;
  cursor?: string;
}

/** What the store keeps under `pull:<connector>`. */
export interface PullState {
  /** The page to fetch next. */
  next: PullPosition;
  /**
   * Records of that page already in the sink: non-zero when the last run reached the end of the
   * list, so the next run fetches the last page again and writes only what was added to it.
   */
  skip: number;
  /** ISO time of the last page written. */
  lastRunAt: string;
  /** Records written into the sink over all runs. */
  records: number;
}

/**
 * The request for `position`: the first page's request with the style's parameters set, or the
 * vendor's next link (RFC 8288) as given.
 *
 * @example
 * pageRequest(first, { style: 'page', param: 'page', sizeParam: 'pageSize', pageSize: 50, items: '/data' }, { page: 3 }).url
 * // …/customers?page=3&pageSize=50
 */
export function pageRequest(first: OutgoingRequest, pagination: PaginationDefinition, position: PullPosition): OutgoingRequest {
  if (position.url !== undefined) return { ...first, url: sameOrigin(position.url, first.url) };
  const url = new URL(first.url);
  if (pagination.pageSize !== undefined) url.searchParams.set(pagination.sizeParam, String(pagination.pageSize));
  const value = position.page ?? position.offset ?? position.cursor;
  if (pagination.style !== 'link-header' && value !== undefined) url.searchParams.set(pagination.param, String(value));
  return { ...first, url: url.href };
}

/**
 * The position after a page, or undefined at the end of the list (no next link, a short or
 * empty page, no next cursor).
 */
export function nextPosition(
  pagination: PaginationDefinition,
  position: PullPosition,
  page: { url: string; headers: [string, string][]; body: unknown; items: unknown[] },
): PullPosition | undefined {
  const short = page.items.length === 0 || (pagination.pageSize !== undefined && page.items.length < pagination.pageSize);
  switch (pagination.style) {
    case 'link-header': {
      const link = page.headers.filter(([name]) => name.toLowerCase() === 'link').map(([, value]) => value).join(', ');
      const next = parseLinkHeader(link, page.url).next;
      return next === undefined ? undefined : { url: next };
    }
    case 'page':
      return short ? undefined : { page: (position.page ?? 1) + 1 };
    case 'offset':
      return short ? undefined : { offset: (position.offset ?? 0) + page.items.length };
    case 'cursor': {
      const cursor = getAtPointer(page.body, pagination.cursorPointer ?? '');
      return cursor === undefined || cursor === null || cursor === '' ? undefined : { cursor: String(cursor) };
    }
  }
}

/** Where the list ends: this page again next time (its link, number, offset or cursor). */
export function endPosition(pagination: PaginationDefinition, position: PullPosition, url: string): PullPosition {
  return pagination.style === 'link-header' ? { url } : position;
}

/**
 * A next link on another origin would carry the target's credentials there: refused.
 */
function sameOrigin(link: string, base: string): string {
  if (new URL(link).origin !== new URL(base).origin) {
    throw new PullError('RECON_PULL_PAGE_FAILED', `the vendor's next link ${link} leaves ${new URL(base).origin}: not followed, so the target's credentials stay with it`);
  }
  return link;
}
