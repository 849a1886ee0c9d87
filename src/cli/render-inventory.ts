/**
 * Text rendering of a spec inventory for people. Reads the inventory; decides nothing.
 */
import type { Gap, Inventory } from '../spec/index.js';
import type { Output } from './output.js';

export interface RenderInventoryOptions {
  allOperations: boolean;
  allGaps: boolean;
}

const OPERATIONS_SHOWN_BY_DEFAULT = 60;
const GAP_EXAMPLES = 3;
const SEVERITY_ORDER: Gap['severity'][] = ['error', 'warning', 'info'];

export function renderInventory(inventory: Inventory, output: Output, options: RenderInventoryOptions): void {
  const c = output.color;
  const out = output.out;
  const heading = (text: string) => {
    out('');
    out(c.bold(text));
  };

  out(`${c.bold(inventory.title)} ${c.dim(inventory.version)}`);
  const converted = inventory.converted ? ' (converted to OpenAPI 3.0 in memory)' : '';
  out(`${c.dim('document')}  ${inventory.source.location}  ${inventory.declaredVersion.startsWith('2') ? 'Swagger' : 'OpenAPI'} ${inventory.declaredVersion}${converted}, ${inventory.source.format.toUpperCase()}, ${formatBytes(inventory.source.bytes)}`);
  out(`${c.dim('sha256')}    ${inventory.source.sha256}`);
  const methods = Object.entries(inventory.counts.byMethod).map(([m, n]) => `${n} ${m}`).join(', ');
  out(`${c.dim('contents')}  ${inventory.counts.operations} operations on ${inventory.counts.paths} paths (${methods || 'none'}), ${inventory.counts.schemas} schemas${inventory.counts.documents > 1 ? `, ${inventory.counts.documents} documents` : ''}`);

  heading('Servers');
  for (const server of inventory.servers) out(`  ${server.url}${server.description ? c.dim(`  ${server.description}`) : ''}`);

  heading('Security');
  if (inventory.securitySchemes.length === 0) out(`  ${c.yellow('no security schemes documented')}`);
  for (const scheme of inventory.securitySchemes) {
    out(`  ${scheme.name}: ${describeScheme(scheme)}  ${c.dim(`used by ${scheme.operations} operation(s)`)}`);
  }
  if (inventory.unauthenticatedOperations > 0) {
    out(`  ${c.dim(`${inventory.unauthenticatedOperations} operation(s) document no security requirement`)}`);
  }

  heading('Rate limits (what the document says)');
  const rl = inventory.rateLimits;
  const headers = [...new Set([...rl.documentedHeaders.map((h) => h.name), ...rl.mentionedHeaders])];
  if (headers.length === 0 && rl.operationsWith429 === 0 && rl.statements.length === 0) {
    out(`  ${c.yellow('nothing documented: the limit must be measured (recon limits)')}`);
  }
  if (headers.length > 0) out(`  headers: ${headers.join(', ')}`);
  if (rl.documentedHeaders.length > 0) out(`  ${c.dim(`documented on responses of ${Math.max(...rl.documentedHeaders.map((h) => h.operations))} operation(s)`)}`);
  out(`  429 responses documented on ${rl.operationsWith429} of ${inventory.counts.operations} operations`);
  for (const statement of rl.statements.slice(0, 5)) out(`  ${c.dim('"')}${statement.text}${c.dim('"')}`);

  heading('Idempotency');
  if (inventory.idempotency.headers.length === 0) out(`  ${c.yellow('no idempotency header documented: retries of writes need lookup-before-create')}`);
  for (const header of inventory.idempotency.headers) {
    out(`  ${header.name} on ${header.operations.length} operation(s): ${header.operations.slice(0, 6).join(', ')}${header.operations.length > 6 ? ', ...' : ''}`);
  }

  renderOperations(inventory, output, options);
  renderGaps(inventory.gaps, output, options);
}

function renderOperations(inventory: Inventory, output: Output, options: RenderInventoryOptions): void {
  const c = output.color;
  const operations = inventory.operations;
  output.out('');
  if (!options.allOperations && operations.length > OPERATIONS_SHOWN_BY_DEFAULT) {
    output.out(c.bold('Operations') + c.dim(`  ${operations.length}; list them with --operations, or --filter <text>`));
    return;
  }
  output.out(c.bold('Operations') + c.dim('  (req/res: request/response schema; ex: has an example)'));
  if (operations.length === 0) output.out(c.dim('  none'));
  const methodWidth = 7;
  const pathWidth = Math.min(60, Math.max(0, ...operations.map((op) => op.path.length)));
  for (const op of operations) {
    const flags = [op.hasRequestSchema ? 'req' : '   ', op.hasResponseSchema ? 'res' : c.yellow('---'), op.hasRequestExample || op.hasResponseExample ? 'ex' : '  '].join(' ');
    const id = op.operationId ?? c.yellow('(no operationId)');
    const deprecated = op.deprecated ? c.yellow(' deprecated') : '';
    output.out(`  ${op.method.padEnd(methodWidth)}${op.path.padEnd(pathWidth)}  ${flags}  ${c.dim(id)}${deprecated}`);
  }
}

function renderGaps(gaps: Gap[], output: Output, options: RenderInventoryOptions): void {
  const c = output.color;
  output.out('');
  if (gaps.length === 0) {
    output.out(c.bold('Gaps') + '  ' + c.green('none found'));
    return;
  }
  const counts = SEVERITY_ORDER.map((s) => [s, gaps.filter((g) => g.severity === s).length] as const).filter(([, n]) => n > 0);
  output.out(c.bold('Gaps') + c.dim(`  ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`));
  const kinds = new Map<string, Gap[]>();
  for (const gap of [...gaps].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))) {
    kinds.set(gap.kind, [...(kinds.get(gap.kind) ?? []), gap]);
  }
  for (const [kind, list] of kinds) {
    const severity = list[0]!.severity;
    const paint = severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.dim;
    output.out(`  ${paint(severity.padEnd(7))} ${kind} ${c.dim(`x${list.length}`)}`);
    const shown = options.allGaps ? list : list.slice(0, GAP_EXAMPLES);
    for (const gap of shown) output.out(`      ${gap.operation ? `${gap.operation}: ` : ''}${gap.message}${gap.operation ? '' : c.dim(`  ${gap.location ?? ''}`)}`);
    if (shown.length < list.length) output.out(c.dim(`      ... ${list.length - shown.length} more (--gaps lists all)`));
  }
}

function describeScheme(scheme: Inventory['securitySchemes'][number]): string {
  switch (scheme.type) {
    case 'http':
      return `HTTP ${scheme.scheme ?? ''}${scheme.bearerFormat ? ` (${scheme.bearerFormat})` : ''}`.trim();
    case 'apiKey':
      return `API key in ${scheme.in ?? '?'} "${scheme.paramName ?? '?'}"`;
    case 'oauth2':
      return `OAuth2 ${Object.entries(scheme.flows ?? {}).map(([flow, f]) => `${flow}${f.tokenUrl ? ` (token: ${f.tokenUrl})` : ''}`).join(', ')}`;
    case 'openIdConnect':
      return `OpenID Connect ${scheme.openIdConnectUrl ?? ''}`;
    case 'mutualTLS':
      return 'mutual TLS (client certificate)';
    default:
      return scheme.type;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
