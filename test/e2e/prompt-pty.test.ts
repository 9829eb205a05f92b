/*
 * Verified in a real terminal (issue 12): the BUILT CLI (`npm run build` first) in a pseudo-terminal, as a
 * person at a shell runs it: isTTY everywhere, the real readline prompt, keys typed into the terminal. The
 * plan is on the screen before the question; "n" does nothing (exit 1); "y" does what the plan showed.
 * Every wait is for text on the screen, never for a time.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/cli.js';
import { requirePty, screenText, startPty } from '../helpers/pty.js';

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
  this.timeout(180_000);
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

  it('drain: the plan, y, each host\'s step with the time left; after Ctrl-C the blocked-logons hint works pasted as printed', async () => {
    // The farm's state lives in a file, so the pasted command meets the logons this drain blocked.
    const state = join(dir, 'state.json');
    const env = { ...process.env, NO_COLOR: '1', SESSION_LOGOFF_FARM_STATE: state };
    const t = startPty(process.execPath, [CLI, 'drain', '-s', 'rds01', '--grace', '10m', '--transport', 'simulated', '--farm', farm], env);
    const plan = await t.waitFor(/\[y\/N\] $/);
    assert.match(plan, /Plan: drain rds01: block new logons \(drain\), warn Active users, log off everyone left after 10m/);
    assert.match(plan, /rds01 +2 +alice +Active +warn, then log off after the grace/);
    t.type('y\r');
    await t.waitFor(/rds01 waiting \d+:\d\d left \(2 sessions\)/);
    t.type('\u0003');
    assert.equal(await t.exited, 130);
    const hint = /to allow them again: (session-logoff logons enable .*)/.exec(screenText(t.output()))?.[1];
    assert.ok(hint, screenText(t.output()));
    assert.equal(await logonState(env), 'drain');
    // Pasted into a shell as it is, with session-logoff on PATH as after `npm install -g`.
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'session-logoff'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
    await chmod(join(bin, 'session-logoff'), 0o755);
    const pasted = await run('sh', ['-c', hint], { ...env, PATH: `${bin}:${process.env.PATH ?? ''}` });
    assert.equal(pasted.code, 0, pasted.output);
    assert.equal(await logonState(env), 'enabled');
  });

  async function logonState(env: NodeJS.ProcessEnv): Promise<string> {
    const r = await run(process.execPath, [CLI, 'logons', 'status', '-s', 'rds01', '--transport', 'simulated', '--farm', farm, '--json'], env);
    assert.equal(r.code, 0, r.output);
    return (JSON.parse(r.stdout) as { hosts: { state: string }[] }).hosts[0]?.state ?? '';
  }
});

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), (output += d)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, output }));
  });
}
