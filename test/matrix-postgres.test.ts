/**
 * The crash and fault matrix on the PostgreSQL store (see test/matrix-suite.ts): the cells that
 * lean on the store hardest (kills, outages, unknown outcomes), each in a fresh schema of the
 * shared test server; `node bench/faults.js --store postgres://…` runs all of them. Disk full is
 * a SQLite cell.
 */
import { afterAll, describe, it } from 'vitest';
import { sharedPg } from './helpers/pg.js';
import { matrixSuite } from './matrix-suite.js';

const pg = await sharedPg();
if (pg.available) {
  afterAll(() => pg.dropSchemas());
  matrixSuite('PostgreSQL', () => pg.freshLocation(), { conditions: ['sigkill', 'lost', 'timeout', 'mixed'] });
} else {
  describe(`crash and fault matrix on PostgreSQL ${pg.skipReason}`, () => {
    it.skip('needs PostgreSQL', () => undefined);
  });
}
