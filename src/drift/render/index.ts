/**
 * Renderers of a drift report: terminal text, Markdown, JUnit XML and SARIF 2.1.0. Each is a pure
 * function of the report (no clock, no file system), so the same report renders the same bytes.
 *
 * @example
 * import { renderDriftText, renderDriftMarkdown, renderDriftJUnit, renderDriftSarif } from './render/index.js';
 * output.out(renderDriftText(report, { color: output.color }));
 * await writeFile('drift.md', renderDriftMarkdown(report));
 * await writeFile('drift.junit.xml', renderDriftJUnit(report));
 * await writeFile('drift.sarif', JSON.stringify(renderDriftSarif(report), null, 2) + '\n');
 */
export { renderDriftText, type DriftTextColors, type DriftTextOptions } from './text.js';
export { renderDriftMarkdown } from './markdown.js';
export { renderDriftJUnit } from './junit.js';
export { renderDriftSarif, SARIF_SCHEMA_URI, FINGERPRINT_KEY, type DriftSarifOptions, type SarifRegion, type SarifLog } from './sarif.js';
export { KIND_DESCRIPTIONS, type KindDescription } from './kinds.js';
