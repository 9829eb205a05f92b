/*
 * End to end through the WTS source: the BUILT CLI, real pwsh running ps/SessionLogoffServer.ps1, the C# of
 * ps/WtsApi.cs compiled by Add-Type, and the native wtsapi32 double (.tools/wtsapi32/libwtsapi32.so, found by
 * DllImport through LD_LIBRARY_PATH) reading and changing the same farm state file as the other doubles.
 * The farm's call log tells which path ran: `wtsapi32` entries for WTS, quser/logoff/msg for the text tools.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createFarmFixture, type FarmFixture } from '../helpers/farm.js';
import { CLI, runCli } from '../helpers/cli.js';
import { requirePwsh } from '../helpers/pwsh.js';
import { requireWtsDouble, withoutWts, wtsEnv } from '../helpers/wts.js';

const FARM = {
  localHost: 'admin01',
  callerSessionId: 2,
  hosts: {
    admin01: { sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'operator', state: 'Active', clientName: 'OPS-LAPTOP', clientAddress: '10.0.0.9' }] },
    rds1: {
      sessions: [
        { id: 2, name: 'rdp-tcp#3', user: 'alice smith', state: 'Active', idleMinutes: 7, logon: '2026-03-02T08:12', domain: 'CORP', clientName: 'WS-ALICE', clientAddress: '192.168.10.21' },
        { id: 3, name: null, user: 'Bjørn 王', state: 'Disc', idleMinutes: 95, logon: '2026-03-01T16:40', clientAddress: 'fe80::1' },
      ],
    },
    rds2: { language: 'ja', sessions: [{ id: 4, name: 'ICA-CGP#1', user: 'm.mueller', state: 'Active', idleMinutes: 1500, logon: '2026-03-02T07:58' }] },
    denied1: { fault: 'access-denied', sessions: [] },
    dead1: { fault: 'unreachable', sessions: [] },
    stuck1: { fault: 'hang', sessions: [] },
  },
};

interface Call {
  program: string;
  args: string[];
}

async function calls(fx: FarmFixture): Promise<Call[]> {
  return ((await fx.readState()) as unknown as { calls: Call[] }).calls;
}

function programs(list: Call[]): string[] {
  return [...new Set(list.map((c) => (c.program === 'wtsapi32' ? `wtsapi32!${c.args[0] ?? ''}` : c.program)))].sort();
}

function liveUsers(state: unknown, host: string): string[] {
  const hosts = (state as { hosts: Record<string, { sessions: { user: string | null }[] }> }).hosts;
  return (hosts[host]?.sessions ?? []).map((s) => s.user).filter((u): u is string => u !== null);
}

describe('e2e: --source wts through real pwsh and the native wtsapi32 double', function () {
  this.timeout(180_000);
  let fx: FarmFixture;
  let pwsh: string;
  let env: NodeJS.ProcessEnv;
  const t = ['--transport', 'powershell', '--source', 'wts'];

  before(function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    pwsh = requirePwsh(this);
    requireWtsDouble(this);
  });
  beforeEach(async () => {
    fx = await createFarmFixture(FARM);
    env = wtsEnv({ ...fx.env, SESSION_LOGOFF_PWSH: pwsh });
  });
  afterEach(() => fx.cleanup());

  it('list: records from the API (UTC logon, domain, client, exact odd names); access denied and unreachable map as for text', async () => {
    const r = await runCli(['list', '-s', 'rds1', '-s', 'rds2', '-s', 'denied1', '-s', 'dead1', '--retries', '0', '--json', ...t], env);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.errors.map((e: { host: string; code: string }) => `${e.host}:${e.code}`).sort(), ['dead1:ERR_HOST_UNREACHABLE', 'denied1:ERR_ACCESS_DENIED']);
    const [alice, bjorn, mueller] = doc.sessions;
    assert.equal(doc.sessions.length, 3);
    assert.deepEqual(
      { ...alice, lastInputTime: typeof alice.lastInputTime },
      {
        host: 'rds1', id: 2, username: 'alice smith', sessionName: 'rdp-tcp#3', state: 'Active', stateText: 'WTSActive', idleMinutes: 7, idleText: '7',
        logonTime: '2026-03-02T08:12:00.000Z', logonText: null, isCurrent: false, type: null, device: null, domain: 'CORP', clientName: 'WS-ALICE',
        clientAddress: '192.168.10.21', clientProtocol: 'rdp', lastInputTime: 'string', disconnectTime: null, source: 'wts',
      },
    );
    assert.deepEqual([bjorn.username, bjorn.sessionName, bjorn.state, bjorn.idleMinutes, bjorn.clientAddress, bjorn.domain], ['Bjørn 王', null, 'Disconnected', 95, 'fe80::1', 'RDS1']);
    assert.match(bjorn.disconnectTime, /Z$/);
    // A Japanese host: the API has no language; idle over a day is whole minutes, not a rounded '1+01:00'.
    assert.deepEqual([mueller.username, mueller.state, mueller.idleMinutes, mueller.idleText, mueller.clientProtocol], ['m.mueller', 'Active', 1500, '1+01:00', 'ica']);
    // No program started at all (no quser, and no reg.exe for a date order text would need): only the API.
    assert.deepEqual(programs(await calls(fx)), ['wtsapi32!WTSEnumerateSessionsExW']);
  });

  it('list --all-sessions on this machine: services, console and listener too; the caller\'s session from WTS_CURRENT_SESSION', async () => {
    const r = await runCli(['list', '--all-sessions', '--json', ...t], env);
    assert.equal(r.code, 0, r.stderr);
    const sessions = JSON.parse(r.stdout).sessions as { id: number; state: string; isCurrent: boolean; username: string | null; clientName: string | null }[];
    assert.deepEqual(sessions.map((s) => `${s.id} ${s.state} ${s.username ?? '-'}${s.isCurrent ? ' current' : ''}`), [
      '0 Disconnected -',
      '1 Connected -',
      '2 Active operator current',
      '65536 Listen -',
    ]);
    assert.equal(sessions[2]?.clientName, 'OPS-LAPTOP');
  });

  it('logoff --message --grace: WTSSendMessageW (title, exact text, bytes), then WTSLogoffSession, verified by a re-query', async () => {
    const text = "Saving? Logoff in 1s — don't panic ‘ü’ $(whoami)\nSecond line";
    const r = await runCli(['logoff', '2', '-s', 'rds1', '--message', text, '--grace', '1s', '--json', ...t], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).actions.map((a: { action: string; status: string }) => `${a.action}:${a.status}`), ['message:done', 'logoff:done']);
    const state = (await fx.readState()) as unknown as { hosts: Record<string, { messages: { sessionId: number; text: string; time: number; title?: string; seconds: number | null }[] }> };
    const sent = state.hosts['rds1']?.messages ?? [];
    assert.deepEqual(sent, [{ sessionId: 2, text, time: sent[0]?.time, seconds: null, title: 'session-logoff' }]);
    assert.deepEqual(liveUsers(state, 'rds1'), ['Bjørn 王']);
    const used = programs(await calls(fx));
    assert.ok(used.includes('wtsapi32!WTSSendMessageW') && used.includes('wtsapi32!WTSLogoffSession'), used.join());
    assert.ok(!used.includes('logoff') && !used.includes('msg') && !used.includes('quser') && !used.includes('qwinsta'), used.join());
  });

  it('message --all --message-timeout 30 --title: only the Active session gets it, titled, with the timeout; the disconnected one is skipped', async () => {
    const r = await runCli(['message', '--all', '-s', 'rds1', '--text', 'Reboot at 18:00', '--message-timeout', '30', '--title', 'IT – Wartung ‘heute’', '--yes', '--json', ...t], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).actions.map((a: { sessionId: number; status: string }) => `${a.sessionId}:${a.status}`), ['2:done', '3:skipped']);
    const state = (await fx.readState()) as unknown as { hosts: Record<string, { messages: { sessionId: number; seconds: number | null; title?: string }[] }> };
    assert.deepEqual(state.hosts['rds1']?.messages.map((m) => `${m.sessionId}:${m.seconds}:${m.title}`), ['2:30:IT – Wartung ‘heute’']);
  });

  it('drain of this machine: logons blocked (change logon), users warned and logged off through WTS, verified empty', async () => {
    const local = await createFarmFixture({
      localHost: 'admin01',
      hosts: { admin01: { sessions: [{ id: 5, name: 'rdp-tcp#9', user: 'carol', state: 'Active' }, { id: 6, name: null, user: 'dave', state: 'Disc' }] } },
    });
    try {
      const r = await runCli(['drain', '--grace', '1s', '--yes', '--json', ...t], wtsEnv({ ...local.env, SESSION_LOGOFF_PWSH: pwsh }));
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.deepEqual(doc.hosts.map((h: { host: string; status: string }) => `${h.host} ${h.status}`), ['localhost drained']);
      assert.deepEqual(
        doc.actions.map((a: { action: string; sessionId: number | null; status: string }) => `${a.action} ${a.sessionId ?? '-'} ${a.status}`).sort(),
        ['block-logons - done', 'logoff 5 done', 'logoff 6 done', 'message 5 done', 'verify - done'],
      );
      assert.deepEqual(liveUsers(await local.readState(), 'admin01'), []);
      const used = programs(await calls(local));
      assert.ok(used.includes('change') && used.includes('wtsapi32!WTSLogoffSession') && !used.includes('logoff') && !used.includes('quser'), used.join());
    } finally {
      await local.cleanup();
    }
  });

  it('a host whose API call never returns times out alone; the shell goes on serving the others', async () => {
    const r = await runCli(['list', '-s', 'stuck1', '-s', 'rds1', '-s', 'rds2', '--timeout', '5s', '--json', ...t], env);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.errors.map((e: { host: string; code: string }) => `${e.host}:${e.code}`), ['stuck1:ERR_TIMEOUT']);
    assert.deepEqual([...new Set(doc.sessions.map((s: { host: string }) => s.host))], ['rds1', 'rds2']);
  });

  it('no wtsapi32 in the shell: auto reads text (quietly: a Linux shell has no WTS to miss); explicit wts fails each host', async () => {
    const bare = withoutWts(env);
    const auto = await runCli(['list', '-s', 'rds1', '--json', '--transport', 'powershell'], bare);
    assert.equal(auto.code, 0, auto.stderr);
    assert.equal(auto.stderr, '');
    assert.deepEqual(JSON.parse(auto.stdout).sessions.map((s: { username: string; source: string }) => `${s.username}:${s.source}`), ['alice smith:text', 'Bjørn 王:text']);
    const strict = await runCli(['list', '-s', 'rds1', '-s', 'rds2', '--json', ...t], bare);
    assert.equal(strict.code, 1);
    assert.deepEqual(JSON.parse(strict.stdout).errors.map((e: { host: string; code: string }) => `${e.host}:${e.code}`), ['rds1:ERR_UNSUPPORTED_OPERATION', 'rds2:ERR_UNSUPPORTED_OPERATION']);
    assert.match(strict.stderr, /--source wts: the WTS API cannot be used .*wtsapi32 could not be loaded.*--source text/);
    assert.deepEqual(programs(await calls(fx)).filter((p) => p !== 'reg'), ['quser']);
  });

  it('--source wts with another transport, or a title on two lines, is invalid input (exit 2), before anything runs', async () => {
    const r = await runCli(['list', '-s', 'rds1', '--source', 'wts', '--transport', 'exec'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--source wts/);
    const title = await runCli(['message', '2', '-s', 'rds1', '--text', 'hi', '--title', 'two\nlines', ...t], env);
    assert.equal(title.code, 2);
    assert.match(title.stderr, /--title/);
    assert.deepEqual(await calls(fx), []);
  });
});
