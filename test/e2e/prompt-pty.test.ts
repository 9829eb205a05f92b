/*
 * Verified in a real terminal (issue 12): the BUILT CLI (`npm run build` first) in a pseudo-terminal, as a
 * person at a shell runs it: isTTY everywhere, the real readline prompt, keys typed into the terminal. The
 * plan is on the screen before the question; "n" does nothing (exit 1); "y" does what the plan showed.
 * Every wait is for text on the screen, never for a time.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/cli.js';
import { requirePty, startPty } from '../helpers/pty.js';

const FARM = {
  localHost: 'admin01',
  hosts: {
    rds01: {
      sessions: [
        { id: 2, name: 'rdp-tcp#3', user: 'alice', state: 'Active', idleMinutes: 0, logon: '2026-03-02T08:12' },
        { id: 3, name: null, user: 'bob', state: 'Disc', idleMinutes: 95, logon: '2026-03-01T16:40' },
      ],
    },
  },
};

describe('e2e: the confirmation prompt in a pseudo-terminal', function () {
  this.timeout(60_000);
  let dir: string;
  let farm: string;
  let audit: string;

  before(async function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    requirePty(this);
    dir = await mkdtemp(join(tmpdir(), 'session-logoff-pty-'));
    farm = join(dir, 'farm.json');
    await writeFile(farm, JSON.stringify(FARM));
  });
  beforeEach(() => {
    audit = join(dir, `audit-${Math.random().toString(36).slice(2)}.jsonl`);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const logoffAll = (): string[] => [CLI, 'logoff', '--all', '-s', 'rds01', '--transport', 'simulated', '--farm', farm, '--audit-log', audit];
  const auditLines = async (): Promise<string[]> => (existsSync(audit) ? (await readFile(audit, 'utf8')).split('\n').filter(Boolean) : []);

  it('logoff --all: the plan names each user, id and state before the question; "n" does nothing, exit 1', async () => {
    const t = startPty(process.execPath, logoffAll(), { ...process.env, NO_COLOR: '1' });
    const screen = await t.waitFor(/\[y\/N\] $/);
    assert.match(screen, /Plan: log off EVERY user session on rds01:/);
    assert.match(screen, /rds01 +2 +alice +Active +log off: loses unsaved work/);
    assert.match(screen, /rds01 +3 +bob +Disconnected +log off\n/);
    assert.ok(screen.indexOf('alice') < screen.indexOf('Log off these 2 sessions on rds01? [y/N]'), 'the plan comes first');
    t.type('n\r');
    assert.equal(await t.exited, 1);
    assert.match(t.output(), /session-logoff: nothing done\./);
    assert.doesNotMatch(t.output(), /logoff +done/);
    assert.deepEqual(await auditLines(), [], 'no change was made: the audit log has nothing');
  });

  it('"y" logs off exactly the sessions shown, exit 0', async () => {
    const t = startPty(process.execPath, logoffAll(), { ...process.env, NO_COLOR: '1' });
    await t.waitFor(/\[y\/N\] $/);
    t.type('y\r');
    assert.equal(await t.exited, 0);
    const screen = await t.waitFor(/bob +logoff +done/);
    assert.match(screen, /alice +logoff +done/);
    const events = (await auditLines()).map((line) => JSON.parse(line) as { action: string; sessionId: number; result: string });
    assert.deepEqual(events.map((e) => `${e.action} ${e.sessionId} ${e.result}`), ['logoff 2 done', 'logoff 3 done']);
  });
});
