import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { createFarmFixture, type FarmFixture } from '../../helpers/farm.js';

const DIST_ENGINE = fileURLToPath(new URL('../../../dist/sim/engine.js', import.meta.url));
const PWSH = process.env['SESSION_LOGOFF_PWSH'] ?? fileURLToPath(new URL('../../../.tools/bin/pwsh', import.meta.url));

const FARM = {
  localHost: 'ADMIN01',
  callerSessionId: 2,
  hosts: {
    ADMIN01: { sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'operator', state: 'Active' }] },
    rds1: {
      language: 'de',
      sessions: Array.from({ length: 16 }, (_, i) => ({ id: i + 2, name: `rdp-tcp#${i}`, user: `user${i}`, state: 'Active', idleMinutes: i })),
    },
    denied: { fault: 'access-denied', sessions: [] },
    slow: { latencyMs: 300, sessions: [] },
    stuck: { fault: 'hang', sessions: [] },
  },
};

describe('test doubles on PATH (real processes)', function () {
  this.timeout(30_000);
  let fx: FarmFixture;

  before(function () {
    if (!existsSync(DIST_ENGINE)) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
  });
  beforeEach(async () => {
    fx = await createFarmFixture(FARM);
  });
  afterEach(async () => {
    await fx.cleanup();
  });

  it('quser prints the German table with CRLF and exit 0; faults give exit 1 and the real stderr', async () => {
    const ok = await execa('quser', ['/server:rds1'], { env: fx.env, reject: false, stripFinalNewline: false });
    assert.equal(ok.exitCode, 0);
    assert.match(ok.stdout, /^ BENUTZERNAME {10}SITZUNGSNAME {7}ID  STATUS  LEERLAUF   ANMELDEZEIT\r\n user0 {17}rdp-tcp#0 {11}2  Aktiv {11}\.  /);
    const denied = await execa('qwinsta', ['/server:denied'], { env: fx.env, reject: false, stripFinalNewline: false });
    assert.deepEqual([denied.exitCode, denied.stdout], [1, '']);
    assert.equal(denied.stderr, 'Error 0x00000005 enumerating sessionnames\r\nError [5]:Access is denied.\r\n');
  });

  it('honours latency, and a hanging host is ended only by the caller\'s timeout', async () => {
    const started = Date.now();
    const slow = await execa('query', ['user', '/server:slow'], { env: fx.env, reject: false });
    assert.ok(Date.now() - started >= 300, 'latency is slept');
    assert.equal(slow.stderr, 'No User exists for *');
    const hang = await execa('quser', ['/server:stuck'], { env: fx.env, reject: false, timeout: 500 });
    assert.equal(hang.timedOut, true);
    assert.equal(hang.exitCode, undefined);
  });

  it('msg reads stdin; the message and the literal argv are recorded in the state file', async () => {
    const text = '$(whoami) `id` ; | & \'’"';
    const r = await execa('msg', ['3', '/server:RDS1', '/time:30'], { env: fx.env, input: text, reject: false });
    assert.equal(r.exitCode, 0, r.stderr);
    await execa('quser', ['$(whoami)', '/server:rds1'], { env: fx.env, reject: false });
    const state = await fx.readState();
    assert.equal(state.hosts['rds1']?.messages[0]?.text, text);
    assert.deepEqual(state.calls.map((c) => c.args), [['3', '/server:RDS1', '/time:30'], ['$(whoami)', '/server:rds1']]);
    assert.equal(state.calls[0]?.stdin, text);
  });

  it('16 parallel logoffs against one state file leave a consistent state', async () => {
    const ids = Array.from({ length: 16 }, (_, i) => i + 2);
    const results = await Promise.all(ids.map((id) => execa('logoff', [String(id), '/server:rds1'], { env: fx.env, reject: false })));
    assert.deepEqual(results.map((r) => r.exitCode), ids.map(() => 0));
    const state = await fx.readState();
    assert.deepEqual(state.hosts['rds1']?.sessions.map((s) => s.id), [0, 1, 65536]);
    assert.equal(state.calls.length, 16);
    assert.equal(state.hosts['rds1']?.calls, 16);
    const after = await execa('quser', ['/server:rds1'], { env: fx.env, reject: false });
    assert.deepEqual([after.exitCode, after.stderr], [1, 'No User exists for *']);
  });

  it('change logon and reg share the state', async () => {
    assert.equal((await execa('change', ['logon', '/drain'], { env: fx.env, reject: false })).exitCode, 0);
    const reg = await execa('reg', ['query', 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server', '/v', 'TSServerDrainMode'], { env: fx.env });
    assert.match(reg.stdout, /TSServerDrainMode {4}REG_DWORD {4}0x2/);
  });

  it('works when pwsh finds quser on PATH', async function () {
    if (!existsSync(PWSH)) this.skip();
    const r = await execa(PWSH, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '& quser /server:rds1; exit $LASTEXITCODE'], { env: fx.env, reject: false });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /user15 +rdp-tcp#15 +17  Aktiv/);
  });
});
