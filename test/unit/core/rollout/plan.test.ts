import assert from 'node:assert/strict';
import { budgetOf, pickWave, renderWarning, resolveMaxUnavailable, warnMarks } from '../../../../src/core/rollout/index.js';

describe('core/rollout: budget and warnings (pure)', () => {
  it('--max-unavailable: a count or a percentage of the hosts, rounded down, at least 1', () => {
    const table: [number | string | undefined, number, number][] = [[undefined, 10, 1], [3, 10, 3], ['3', 10, 3], ['10%', 200, 20], ['10%', 5, 1], ['100%', 7, 7], ['33%', 10, 3]];
    for (const [value, total, expected] of table) assert.equal(resolveMaxUnavailable(value, total), expected, String(value));
    for (const bad of [0, '0', '0%', '101%', '-1', '1.5', 'x', '10 %', 1.5]) {
      assert.throws(() => resolveMaxUnavailable(bad, 10), { code: 'ERR_INVALID_ARGUMENT', argument: 'maxUnavailable' }, String(bad));
    }
  });

  it('the budget is max-unavailable, never leaving fewer than min-serving', () => {
    assert.equal(budgetOf(10, 3, 0), 3);
    assert.equal(budgetOf(10, 3, 8), 2);
    assert.equal(budgetOf(10, 3, 10), 0);
  });

  it('a wave takes hosts in order while the budget lasts; hosts already out cost nothing', () => {
    assert.deepEqual(pickWave(['a', 'b', 'c'], new Set(), 0, 2, 5), ['a', 'b']);
    assert.deepEqual(pickWave(['a', 'b', 'c'], new Set(['c']), 1, 2, 5), ['a', 'c']);
    assert.deepEqual(pickWave(['a', 'b', 'c'], new Set(['c']), 3, 2, 5), ['c'], 'budget spent: only what is out already');
    assert.deepEqual(pickWave(['a', 'b', 'c'], new Set(), 0, 3, 1), ['a'], 'the canary cap');
  });

  it('--message placeholders: {minutes} rounded up, {deadline} HH:MM, {host}; default names the deadline', () => {
    const deadline = new Date(2026, 10, 25, 14, 5);
    assert.equal(renderWarning('{host}: off at {deadline}, {minutes} min, {minutes}', 'rds01', deadline, new Date(2026, 10, 25, 13, 55, 30)), 'rds01: off at 14:05, 10 min, 10');
    assert.equal(renderWarning('{other} {minutes}', 'h', deadline, deadline), '{other} 0');
    assert.match(renderWarning(undefined, 'h', deadline, new Date(2026, 10, 25, 13, 55)), /logged off at 14:05 \(in 10 minutes\)/);
  });

  it('--warn-at marks inside the grace, latest first, without duplicates', () => {
    assert.deepEqual(warnMarks([60_000, 600_000, 1_800_000, 60_000, 0], 900_000), [600_000, 60_000]);
    assert.deepEqual(warnMarks(undefined, 900_000), []);
  });
});
