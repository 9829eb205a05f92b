import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeHosts, parseServersFile, shardHosts } from '../../../src/core/index.js';
import type { ValidationError } from '../../../src/errors.js';

describe('core/hosts', () => {
  it('no servers option means the local machine, reported as localhost; an empty list means no host', () => {
    assert.deepEqual(normalizeHosts(), [{ name: 'localhost', address: null }]);
    assert.deepEqual(normalizeHosts(undefined), [{ name: 'localhost', address: null }]);
    assert.deepEqual(normalizeHosts([]), []);
  });

  it('dedupes case-insensitively and keeps the first spelling and order', () => {
    assert.deepEqual(
      normalizeHosts(['RDS01', 'rds02', 'rds01', 'Rds02', '10.0.0.5']).map((h) => h.name),
      ['RDS01', 'rds02', '10.0.0.5'],
    );
  });

  it('validates every host before anything runs', () => {
    assert.throws(
      () => normalizeHosts(['rds01', '-evil', 'rds02']),
      (e: ValidationError) => e.code === 'ERR_INVALID_ARGUMENT' && e.value === '-evil',
    );
    for (const bad of ['$(whoami)', 'a;b', 'a b', '/server:x', '@list', 'rds`1']) {
      assert.throws(() => normalizeHosts([bad]), { code: 'ERR_INVALID_ARGUMENT' }, bad);
    }
  });

  it('parses a servers file: comments, blanks, duplicates, CRLF and BOM', () => {
    const text = '\uFEFF# farm A\r\nrds01\r\n\r\n  rds02   # spare\r\nRDS01\n#rds03\n';
    assert.deepEqual(parseServersFile(text), ['rds01', 'rds02']);
  });

  it('a bad line in a servers file names the line', () => {
    assert.throws(() => parseServersFile('rds01\nbad host\n'), (e: ValidationError) => e.code === 'ERR_INVALID_ARGUMENT' && e.argument === 'servers-file line 2');
  });

  it('shards: every host in exactly one shard, balanced, independent of order and case', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (names, count) => {
        const shards = Array.from({ length: count }, (_, i) => shardHosts(names, { index: i + 1, count }));
        const all = shards.flat();
        assert.equal(all.length, names.length);
        assert.deepEqual([...all].sort(), [...names].sort());
        const sizes = shards.map((s) => s.length);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
        const shuffled = [...names].reverse().map((n, i) => (i % 2 ? n.toUpperCase() : n));
        assert.deepEqual(shardHosts(shuffled, { index: 1, count }), shards[0]);
      }),
    );
  });

  it('shards fold case and drop duplicates first', () => {
    assert.deepEqual(shardHosts(['B', 'a', 'b', 'C'], { index: 1, count: 2 }), ['a', 'c']);
    assert.deepEqual(shardHosts(['B', 'a', 'b', 'C'], { index: 2, count: 2 }), ['b']);
  });

  it('rejects an impossible shard', () => {
    assert.throws(() => shardHosts(['a'], { index: 3, count: 2 }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => shardHosts(['a'], { index: 0, count: 2 }), { code: 'ERR_INVALID_ARGUMENT' });
  });
});
