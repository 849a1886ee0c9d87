/**
 * Page-based lists as documented (`page`, `pageSize`, `{data, page, pageSize, total}`), plus
 * the RFC 8288 `Link` header that is the reliable way through them.
 */
import { problem, type ApiResponse } from './respond.js';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const MAX_PAGE = 1_000_000;

export interface PageRequest {
  page: number;
  pageSize: number;
}

/**
 * Reads `page` and `pageSize`. A `pageSize` above 100 is silently clamped to 100, although
 * the document says it is rejected with 400.
 */
export function parsePageRequest(query: URLSearchParams): PageRequest | ApiResponse {
  const page = positiveInteger(query.get('page'), 1);
  if (page === undefined || page > MAX_PAGE) return problem(400, 'Bad Request', '`page` must be an integer of at least 1.', [{ field: 'page', message: 'must be an integer >= 1' }]);
  const pageSize = positiveInteger(query.get('pageSize'), DEFAULT_PAGE_SIZE);
  if (pageSize === undefined) return problem(400, 'Bad Request', '`pageSize` must be an integer of at least 1.', [{ field: 'pageSize', message: 'must be an integer >= 1' }]);
  return { page, pageSize: Math.min(pageSize, MAX_PAGE_SIZE) };
}

export function isPageRequest(value: PageRequest | ApiResponse): value is PageRequest {
  return 'pageSize' in value;
}

export interface Page<T> {
  data: T[];
  page: number;
  pageSize: number;
  totalItems: number;
  lastPage: number;
}

export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const start = (request.page - 1) * request.pageSize;
  return {
    data: items.slice(start, start + request.pageSize),
    page: request.page,
    pageSize: request.pageSize,
    totalItems: items.length,
    lastPage: Math.max(1, Math.ceil(items.length / request.pageSize)),
  };
}

/** RFC 8288 §3: `<uri>; rel="next"`, comma-separated, absolute URIs on the sandbox's origin. */
export function linkHeader(baseUrl: string, path: string, query: URLSearchParams, page: Page<unknown>): string {
  const link = (target: number, rel: string): string => {
    const params = new URLSearchParams({ page: String(target), pageSize: String(page.pageSize) });
    for (const [name, value] of query) if (name !== 'page' && name !== 'pageSize') params.append(name, value);
    return `<${baseUrl}${path}?${params.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (page.page > 1) links.push(link(Math.min(page.page - 1, page.lastPage), 'prev'));
  if (page.page < page.lastPage) links.push(link(page.page + 1, 'next'));
  links.push(link(page.lastPage, 'last'));
  return links.join(', ');
}

function positiveInteger(text: string | null, fallback: number): number | undefined {
  if (text === null) return fallback;
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 ? value : undefined;
}
