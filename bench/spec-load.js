// One measured run of one tool on one document, in its own process so that peak memory is its
// own: `node bench/spec-load.js <tool> <file>` prints one JSON line {tool, ms, maxRssMb, ...}.
//
// recon: load + Swagger→OpenAPI conversion + normalise and compile every request and response
// schema (what `recon drift` needs before it can check a single exchange).
// swagger-parser: validate() (parse, dereference, validate against the OpenAPI schema).
// redocly: bundle() (parse, resolve, bundle refs) from @redocly/openapi-core.
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';

const [tool, file] = process.argv.slice(2);
const path = resolve(file);
const started = performance.now();
let detail = {};

if (tool === 'recon-load') {
  // What `recon spec` does before it prints: load, convert, resolve, index the operations.
  const { loadSpec, buildInventory } = await import('../dist/spec/index.js');
  const spec = await loadSpec(path);
  detail = { operations: buildInventory(spec).counts.operations };
} else if (tool === 'recon') {
  const { loadSpec } = await import('../dist/spec/index.js');
  const spec = await loadSpec(path);
  const loadedMs = performance.now() - started;
  let schemas = 0;
  for (const op of spec.operations) {
    const media = [...(op.requestBody?.content ?? []), ...op.responses.flatMap((r) => r.content)];
    for (const m of media) {
      if (!m.schema) continue;
      spec.validator(m.schema);
      schemas++;
    }
  }
  detail = { operations: spec.operations.length, schemasCompiled: schemas, schemaNodes: spec.schemas.stats.schemasAdded, loadMs: Math.round(loadedMs) };
} else if (tool === 'swagger-parser') {
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  try {
    const api = await SwaggerParser.validate(path);
    detail = { paths: Object.keys(api.paths).length };
  } catch (error) {
    // Tripletex's real document fails swagger-parser's strict schema validation; the time to
    // that verdict is still the time a user waits, so it is reported with the reason.
    detail = { rejected: String(error.message).split('\n').filter(Boolean).slice(0, 2).join(' ').slice(0, 120) };
  }
} else if (tool === 'redocly') {
  const { bundle, createConfig } = await import('@redocly/openapi-core');
  const config = await createConfig({});
  const result = await bundle({ ref: path, config });
  detail = { paths: Object.keys(result.bundle.parsed.paths).length, problems: result.problems.length };
} else {
  console.error(`unknown tool ${tool}`);
  process.exit(2);
}

const ms = performance.now() - started;
console.log(JSON.stringify({ tool, ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...detail }));
