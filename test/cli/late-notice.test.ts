/*
 * --late-notice (logoff with --message, and drain): the least time between a late warning (a target that
 * reconnected during the grace, never warned) and its logoff. Default 1 minute, from the library.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import { fakeDeps } from './fake-deps.js';

describe('CLI --late-notice', () => {
  it('logoff: passed to the library as lateNoticeMs; omitted, the library default (1 min) applies', async () => {
    const f = fakeDeps();
    assert.equal(await main(['logoff', '3', '--message', 'bye', '--grace', '5m', '--late-notice', '30s'], f.deps), 0, f.stderr());
    assert.equal(f.api.logoff.firstCall.args[0].lateNoticeMs, 30_000);
    const g = fakeDeps();
    assert.equal(await main(['logoff', '3', '--message', 'bye', '--grace', '5m'], g.deps), 0, g.stderr());
    assert.equal(g.api.logoff.firstCall.args[0].lateNoticeMs, undefined);
  });

  it('logoff --late-notice without --message: exit 2 naming it, nothing runs', async () => {
    const f = fakeDeps();
    assert.equal(await main(['logoff', '3', '--late-notice', '30s'], f.deps), 2);
    assert.match(f.stderr(), /--late-notice/);
    sinon.assert.notCalled(f.createTransport);
    sinon.assert.notCalled(f.api.logoff);
  });

  it('drain: passed as lateNoticeMs; a bad value is exit 2', async () => {
    const f = fakeDeps();
    assert.equal(await main(['drain', '-s', 'rds01', '--late-notice', '2m', '--yes'], f.deps), 0, f.stderr());
    assert.equal(f.api.drain.firstCall.args[0].lateNoticeMs, 120_000);
    const g = fakeDeps();
    assert.equal(await main(['drain', '-s', 'rds01', '--late-notice', 'soon', '--yes'], g.deps), 2);
    assert.match(g.stderr(), /--late-notice/);
  });

  it('--help of logoff and drain describes it, with its default', async () => {
    for (const command of ['logoff', 'drain']) {
      const f = fakeDeps();
      assert.equal(await main([command, '--help'], f.deps), 0);
      assert.match(f.stdout(), /--late-notice[\s\S]*reconnect[\s\S]*default 1m/);
    }
  });
});
