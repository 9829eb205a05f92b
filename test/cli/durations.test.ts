/*
 * Durations of any size work or are refused: `--grace 25d` was accepted and became a setTimeout past
 * 2^31-1 ms, which Node fires after 1 ms, so everyone was logged off at once. Every duration that is
 * waited on is at most 24 h, says so in --help, and a larger one is exit 2 before any transport exists.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import { fakeDeps } from './fake-deps.js';

const DAY_MS = 86_400_000;

// [argv without the duration, option, where the library receives it]
const WAITS: [string[], string, string, 'drain' | 'logoff' | 'listSessions'][] = [
  [['drain', '--yes'], '--grace', 'graceMs', 'drain'],
  [['drain', '--yes'], '--remind-every', 'remindEveryMs', 'drain'],
  [['drain', '--yes'], '--verify-timeout', 'verifyTimeoutMs', 'drain'],
  [['logoff', '3', '--message', 'bye'], '--grace', 'graceMs', 'logoff'],
  [['logoff', '3', '--message', 'bye', '--grace', '5m'], '--late-notice', 'lateNoticeMs', 'logoff'],
  [['drain', '--yes'], '--late-notice', 'lateNoticeMs', 'drain'],
  [['list'], '--timeout', 'timeoutMs', 'listSessions'],
  [['drain', '--yes'], '--timeout', 'timeoutMs', 'drain'],
];

describe('CLI durations: at most 24 h, refused above it', () => {
  for (const [argv, option, , api] of WAITS) {
    for (const value of ['25d', '25h', '1441m', '86401', '999999999999d']) {
      it(`${argv[0]} ${option} ${value}: exit 2 naming ${option}, nothing created`, async () => {
        const f = fakeDeps();
        assert.equal(await main([...argv, option, value], f.deps), 2);
        assert.match(f.stderr(), new RegExp(`^session-logoff: invalid ${option} "${value}": .*at most 24h`));
        sinon.assert.notCalled(f.createTransport);
        sinon.assert.notCalled(f.api[api]);
      });
    }
  }

  for (const [argv, option, key, api] of WAITS) {
    it(`${argv[0]} ${option} 24h, 1d and 86400 are accepted as 24 h`, async () => {
      for (const value of ['24h', '1d', '86400', '1440m']) {
        const f = fakeDeps();
        assert.equal(await main([...argv, option, value], f.deps), 0, `${option} ${value}: ${f.stderr()}`);
        assert.equal(f.api[api].firstCall.args[0][key], DAY_MS);
      }
    });
  }

  it('--idle-over is a filter, not a wait: 30d is fine', async () => {
    const f = fakeDeps();
    assert.equal(await main(['logoff', '--state', 'disconnected', '--idle-over', '30d', '--yes'], f.deps), 0, f.stderr());
    assert.equal(f.api.logoff.firstCall.args[0].idleOverMinutes, 30 * 24 * 60);
  });

  it('--help states the bound of every duration that is waited on', async () => {
    for (const [command, options] of [
      ['drain', ['--grace', '--remind-every', '--late-notice', '--verify-timeout', '--timeout']],
      ['logoff', ['--grace', '--late-notice', '--timeout']],
      ['list', ['--timeout']],
    ] as [string, string[]][]) {
      const f = fakeDeps();
      assert.equal(await main([command, '--help'], f.deps), 0);
      const lines = f.stdout().split('\n');
      for (const option of options) {
        // The option's own line: "at most 24h" or "1s to 24h".
        const line = lines.find((l) => new RegExp(`^\\s+(?:-\\w, )?${option}\\s`).test(l));
        assert.match(line ?? '', /(?:at most|to) 24h/, `${command} --help: ${option}`);
      }
    }
  });
});
