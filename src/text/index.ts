/**
 * Positions in text that recon reports errors at: line and column of an offset, and where a
 * JSON text first breaks the grammar.
 */
export { jsonErrorOffset, jsonErrorPosition, lineAndColumn } from './json-position.js';
