import assert from 'node:assert/strict';
import { parseQuerySession } from '../../../src/parse/query-session.js';
import { parseQuser } from '../../../src/parse/quser.js';
import { fixtureDir, loadPairs, maybeWriteGolden } from '../../helpers/fixtures.js';

const suites = [
  { dir: 'quser', parse: parseQuser },
  { dir: 'query-session', parse: parseQuerySession },
] as const;

for (const { dir, parse } of suites) {
  describe(`golden: ${dir}`, () => {
    const pairs = loadPairs(fixtureDir(dir));
    it('has fixtures', () => assert.ok(pairs.length >= 10));
    for (const pair of pairs) {
      it(pair.name, () => {
        const actual = parse(pair.input, pair.options);
        if (maybeWriteGolden(pair, actual)) return;
        assert.ok(pair.expected !== undefined, `missing golden ${pair.goldenPath}; run with UPDATE_GOLDEN=1 and review it`);
        assert.deepEqual(actual, pair.expected);
      });
    }
  });
}
