// Drift throughput: `recon drift`'s engine over a large recording against the Tripletex
// document, side by side with the floor — JSON.parse + a precompiled Ajv validate of the same
// bodies — each in its own process so peak memory is its own.
//
//   node bench/drift.js generate <har> <entries> <minBodyBytes>
//   node bench/drift.js recon <har>      → one JSON line: ms, maxRssMb, bodyMb, exchanges, findings
//   node bench/drift.js floor <har>      → one JSON line: ms (parse + validate only), maxRssMb, bodyMb
import { readFile } from 'node:fs/promises';

const { findResponse } = await import('../dist/drift/response.js');
const SPEC = 'fixtures/specs/tripletex/tripletex-openapi-3.0.json';
const [mode, file, ...rest] = process.argv.slice(2);
const { loadSpec } = await import('../dist/spec/index.js');
const spec = await loadSpec(SPEC);

if (mode === 'generate') {
  const { writeConformantHar } = await import('../dist/drift/index.js');
  const [entries, minBodyBytes] = rest.map(Number);
  const result = await writeConformantHar(spec, file, { seed: 11, perOperation: 10_000, maxEntries: entries, minBodyBytes, listsOnly: true });
  console.log(JSON.stringify({ entries: result.entries, mb: +(result.bytes / 1e6).toFixed(1) }));
} else if (mode === 'recon') {
  const { runDrift } = await import('../dist/drift/index.js');
  const started = performance.now();
  const { report } = await runDrift({ spec, recordings: [file] });
  const ms = performance.now() - started;
  // What is still held once the run is over (the findings, the spec), when --expose-gc allows a look.
  globalThis.gc?.();
  const retainedMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  console.log(JSON.stringify({ ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), retainedHeapMb: retainedMb, exchanges: report.summary.checked, findings: report.summary.findings }));
} else if (mode === 'floor') {
  // The bodies and their validators are prepared outside the timed part: the floor is only
  // what no checker can avoid — parsing each body and validating it with compiled code.
  const har = JSON.parse(await readFile(file, 'utf8'));
  const work = [];
  let bytes = 0;
  for (const entry of har.log.entries) {
    const match = spec.matchOperation(entry.request.method, entry.request.url);
    if (match.kind !== 'matched') continue;
    const response = findResponse(match.match.operation, String(entry.response.status));
    const schema = response?.content.find((c) => c.mediaType.includes('json'))?.schema;
    if (schema === undefined) continue;
    work.push([entry.response.content.text, spec.validator(schema)]);
    bytes += Buffer.byteLength(entry.response.content.text);
  }
  har.log.entries = null;
  // Ajv compiles a schema's references on first use: validate one body per validator first.
  const warmed = new Set();
  for (const [text, validate] of work) if (!warmed.has(validate)) (warmed.add(validate), validate(JSON.parse(text)));
  const started = performance.now();
  let invalid = 0;
  let parseMs = 0;
  for (const [text, validate] of work) {
    const t = performance.now();
    const value = JSON.parse(text);
    parseMs += performance.now() - t;
    if (!validate(value)) invalid++;
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms: Math.round(ms), parseMs: Math.round(parseMs), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), bodyMb: +(bytes / 1e6).toFixed(1), bodies: work.length, invalid }));
} else {
  console.error('usage: node bench/drift.js generate|recon|floor <har> …');
  process.exit(2);
}
