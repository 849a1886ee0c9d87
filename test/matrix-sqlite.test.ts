/**
 * The crash and fault matrix on the SQLite store (see test/matrix-suite.ts); the disk-full
 * cells mount a small tmpfs (root only; skipped, saying why, elsewhere).
 */
import { matrixSuite } from './matrix-suite.js';

matrixSuite('SQLite', () => 'sqlite');
