/*
 * What a drain tells the operator (issue 12): recovery hints that can be pasted as they are.
 */
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import type { DrainReport } from '../../src/core/types.js';
import { fakeDeps } from './fake-deps.js';

function interruptedDrain(hosts: readonly string[]): DrainReport {
  return {
    hosts: hosts.map((host) => ({ host, status: 'interrupted', reason: 'the run was interrupted', sessionsLeft: [] })),
    actions: hosts.map((host) => ({ host, sessionId: null, username: null, action: 'block-logons', status: 'done', reason: 'mode drain' })),
    errors: [],
    interrupted: true,
  };
}

/** The command the hint says to run, as it would be pasted. */
function hint(stderr: string): string {
  const match = /to allow them again: (session-logoff logons enable .*)$/m.exec(stderr);
  assert.ok(match, stderr);
  return match[1] ?? '';
}

describe('CLI: the blocked-logons hint after an interrupted drain can be pasted as it is', () => {
  const aborted = (): AbortSignal => AbortSignal.abort();

  it('repeats the transport and farm of the run (without them it reaches other hosts, or none)', async () => {
    const f = fakeDeps({ signal: aborted() });
    f.api.drain.resolves(interruptedDrain(['rds01']));
    assert.equal(await main(['drain', '-s', 'rds01', '--transport', 'simulated', '--farm', 'examples/farm.json', '--yes'], f.deps), 130);
    assert.equal(hint(f.stderr()), 'session-logoff logons enable -s rds01 --transport simulated --farm examples/farm.json --yes');
  });

  it('quotes a path a shell would split, and keeps the audit log of the run', async () => {
    const f = fakeDeps({ signal: aborted(), checkWritable: async () => undefined });
    f.api.drain.resolves(interruptedDrain(['rds01']));
    await main(['drain', '-s', 'rds01', '--transport', 'powershell', '--audit-log', "ops logs/it's.jsonl", '--yes'], f.deps);
    assert.equal(hint(f.stderr()), `session-logoff logons enable -s rds01 --transport powershell --audit-log 'ops logs/it'"'"'s.jsonl' --yes`);
  });

  it('names every host, never "…" (it cannot be pasted); a whole servers file is named as the file', async () => {
    const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
    let f = fakeDeps({ signal: aborted() });
    f.api.drain.resolves(interruptedDrain(hosts.slice(0, 6)));
    await main(['drain', ...hosts.flatMap((h) => ['-s', h]), '--yes'], f.deps);
    assert.equal(hint(f.stderr()), 'session-logoff logons enable -s h1 -s h2 -s h3 -s h4 -s h5 -s h6 --yes');
    f = fakeDeps({ signal: aborted(), readFile: async () => Buffer.from(hosts.join('\n')) });
    f.api.drain.callsFake(async (o: { servers: string[] }) => interruptedDrain(o.servers));
    await main(['drain', '--servers-file', 'farm.txt', '--shard', '1/2', '--yes'], f.deps);
    assert.equal(hint(f.stderr()), 'session-logoff logons enable --servers-file farm.txt --shard 1/2 --yes');
  });

  it('on Windows a path is quoted as cmd.exe and PowerShell read it', async () => {
    const f = fakeDeps({ signal: aborted(), platform: 'win32' });
    f.api.drain.resolves(interruptedDrain(['rds01']));
    await main(['drain', '-s', 'rds01', '--transport', 'simulated', '--farm', 'C:\\Rehearsal Farms\\farm.json', '--yes'], f.deps);
    assert.equal(hint(f.stderr()), 'session-logoff logons enable -s rds01 --transport simulated --farm "C:\\Rehearsal Farms\\farm.json" --yes');
  });

  it('the default transport adds nothing', async () => {
    const f = fakeDeps({ signal: aborted() });
    f.api.drain.resolves(interruptedDrain(['rds01']));
    await main(['drain', '-s', 'rds01', '--yes'], f.deps);
    assert.equal(hint(f.stderr()), 'session-logoff logons enable -s rds01 --yes');
  });
});

describe('CLI: drain progress on a terminal shows each host\'s step and the sessions left', () => {
  const NOW = Date.parse('2026-11-25T14:00:00Z');
  /** The progress line as last drawn: the text after the last erase. */
  const lastLine = (stderr: string): string => stderr.split('\r\u001b[K').filter(Boolean).pop() ?? '';

  it('blocking, waiting with the time left, logging off, verifying; a finished host leaves the line', async () => {
    const f = fakeDeps({ tty: true, now: () => new Date(NOW) });
    const seen: string[] = [];
    f.api.drain.callsFake(async (o: { onHostPhase: (p: unknown) => void; onProgress: (p: unknown) => void }) => {
      const at = (): void => void seen.push(lastLine(f.stderr()));
      o.onHostPhase({ host: 'rds01', step: 'blocking', sessionsLeft: null, until: null });
      o.onHostPhase({ host: 'rds02', step: 'warning', sessionsLeft: 3, until: null });
      at();
      o.onHostPhase({ host: 'rds02', step: 'waiting', sessionsLeft: 1, until: new Date(NOW + 270_000).toISOString() });
      at();
      o.onHostPhase({ host: 'rds01', step: 'logging-off', sessionsLeft: 2, until: null });
      o.onHostPhase({ host: 'rds02', step: 'verifying', sessionsLeft: null, until: null });
      at();
      o.onHostPhase({ host: 'rds01', step: 'done', sessionsLeft: null, until: null, status: 'drained' });
      o.onProgress({ done: 1, total: 2, failed: 0 });
      at();
      return { hosts: [], actions: [], errors: [], interrupted: false };
    });
    assert.equal(await main(['drain', '-s', 'rds01', '-s', 'rds02', '--yes'], f.deps), 0, f.stderr());
    assert.deepEqual(seen, [
      '0/2 hosts done · 0:00 · rds01 blocking logons, rds02 warning (3 sessions)',
      '0/2 hosts done · 0:00 · rds01 blocking logons, rds02 waiting 4:30 left (1 session)',
      '0/2 hosts done · 0:00 · rds01 logging off (2 sessions), rds02 verifying',
      '1/2 hosts done · 0:00 · rds02 verifying',
    ]);
  });

  it('off a terminal, or with --quiet, nothing is drawn', async () => {
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const f = fakeDeps({ tty, now: () => new Date(NOW) });
      f.api.drain.callsFake(async (o: { onHostPhase?: (p: unknown) => void }) => {
        o.onHostPhase?.({ host: 'rds01', step: 'blocking', sessionsLeft: null, until: null });
        return { hosts: [], actions: [], errors: [], interrupted: false };
      });
      await main(['drain', '-s', 'rds01', '--yes', ...(quiet ? ['-q'] : [])], f.deps);
      assert.doesNotMatch(f.stderr(), /blocking/);
    }
  });
});
