/** Endpoints the vendor's own tooling uses and the document never mentions (undocumented-operation). */
import { releaseName } from '../data/release.js';
import { json, type ApiResponse } from '../respond.js';
import type { Route } from '../router.js';
import type { SandboxState } from '../state.js';

export const internalRoutes: Route[] = [{ method: 'GET', path: '/internal/health', kind: 'other', scope: 'erp.read', handle: health }];

function health(_request: unknown, state: SandboxState): ApiResponse {
  return json(200, {
    status: 'ok',
    release: releaseName(state.settings.release),
    checks: { database: 'ok', queue: 'ok', search: 'degraded' },
    time: new Date(state.settings.clock()).toISOString(),
  });
}
