/** The list envelope every collection uses, with its Link header. */
import { isPageRequest, linkHeader, paginate, parsePageRequest, type Page } from '../pagination.js';
import { json, type ApiResponse } from '../respond.js';
import type { ApiRequest } from '../router.js';
import type { SandboxState } from '../state.js';

export interface ListOptions<T> {
  /** What the body's `total` says: the true count, a wrong number, or nothing at all. */
  total?: (items: readonly T[]) => number | undefined;
}

/** `{ data, page, pageSize, total }` plus `Link`; `render` may replace the JSON body (CSV). */
export function listResponse<T>(
  request: ApiRequest,
  state: SandboxState,
  path: string,
  items: readonly T[],
  options: ListOptions<T> = {},
  render?: (page: Page<T>) => ApiResponse,
): ApiResponse {
  const pageRequest = parsePageRequest(request.query);
  if (!isPageRequest(pageRequest)) return pageRequest;
  const page = paginate(items, pageRequest);
  const link = linkHeader(state.baseUrl, `/api/v1${path}`, request.query, page);
  const response: ApiResponse = render?.(page) ?? json(200, envelope(page, options.total ? options.total(items) : items.length));
  return { ...response, headers: { ...response.headers, Link: link } };
}

function envelope<T>(page: Page<T>, total: number | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { data: page.data, page: page.page, pageSize: page.pageSize };
  if (total !== undefined) body['total'] = total;
  return body;
}

/** A numeric id from a path segment, or undefined when it cannot be one. */
export function numericId(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined;
}
