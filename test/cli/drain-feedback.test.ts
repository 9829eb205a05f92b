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
