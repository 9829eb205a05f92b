import assert from 'node:assert/strict';
import { runSimulated } from '../../../src/sim/engine.js';
import { parseFarm, type Farm } from '../../../src/sim/farm.js';
import { createFarmState, type FarmState } from '../../../src/sim/state.js';
import { ValidationError } from '../../../src/errors.js';
import { realOutput } from '../../helpers/fixtures.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0);

function farm(overrides: Record<string, unknown> = {}): Farm {
  return parseFarm({
    localHost: 'ADMIN01',
    callerSessionId: 2,
    hosts: {
      ADMIN01: { sessions: [{ id: 2, name: 'rdp-tcp#1', user: 'operator', state: 'Active', logon: '2026-01-05T07:00' }] },
      rds1: {
        sessions: [
          { id: 3, name: 'rdp-tcp#7', user: 'alice', state: 'Active', idleMinutes: 5, logon: '2026-01-05T07:30' },
          { id: 4, name: null, user: 'bob', state: 'Disc', idleMinutes: 90, logon: '2026-01-04T16:05' },
          { id: 5, name: 'rdp-tcp#9', user: 'carol', state: 'Active', logsOffAfterMs: 1000 },
          { id: 6, name: 'rdp-tcp#10', user: 'dave', state: 'Active', logsOffOnMessage: true },
        ],
      },
      denied: { fault: 'access-denied', sessions: [] },
      gone: { fault: 'unreachable', latencyMs: 50, sessions: [] },
      kerb: { fault: 'security-package', sessions: [] },
      stuck: { fault: 'hang', sessions: [] },
      flaky: { transientFailures: 2, sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'eve', state: 'Active' }] },
      ruhost: { language: 'ru', fault: 'access-denied', sessions: [] },
      dehost: { language: 'de', fault: 'unreachable', sessions: [] },
      empty: { sessions: [] },
      ...overrides,
    },
  });
}

function run(state: FarmState, program: string, args: string[], stdin?: string, now = T0) {
  return runSimulated(state, { program, args, ...(stdin !== undefined ? { stdin } : {}) }, now);
}

describe('sim/engine', () => {
  let state: FarmState;
  beforeEach(() => {
    state = createFarmState(farm(), T0);
  });

  describe('queries', () => {
    it('quser /server: lists user sessions without services, console or listener, no > marker', () => {
      const r = run(state, 'quser', ['/server:RDS1']);
      assert.equal(r.exitCode, 0);
      assert.equal(r.stderr, '');
      const lines = r.stdout.split('\r\n');
      assert.equal(lines.length, 6); // header + 4 rows + '' after the final CRLF
      assert.match(lines[1] ?? '', /^ alice {17}rdp-tcp#7 {11}3  Active {10}5  1\/5\/2026 7:30 AM$/);
      assert.match(lines[2] ?? '', /^ bob {39}4  Disc {9}1:30  1\/4\/2026 4:05 PM$/);
      assert.doesNotMatch(r.stdout, /services|console|rdp-tcp +65536|^>/m);
    });

    it('marks the caller with > only in local queries', () => {
      assert.match(run(state, 'quser', []).stdout, /^>operator/m);
      assert.match(run(state, 'QUSER.EXE', ['/server:admin01']).stdout, /^ operator/m);
      assert.match(run(state, 'C:\\Windows\\System32\\qwinsta.exe', []).stdout, /^>rdp-tcp#1/m);
    });

    it('query session shows services, console and the listener; query user equals quser', () => {
      const r = run(state, 'query', ['session', '/server:rds1']);
      assert.match(r.stdout, /^ services {36}0  Disc$/m);
      assert.match(r.stdout, /^ rdp-tcp {33}65536  Listen$/m);
      assert.equal(run(state, 'query', ['user', '/server:rds1']).stdout, run(state, 'quser', ['/server:rds1']).stdout);
    });

    it('quser with no user sessions or no match: "No User exists for …" on stderr, exit 1', () => {
      const empty = run(state, 'quser', ['/server:empty']);
      assert.deepEqual([empty.exitCode, empty.stdout, empty.stderr], [1, '', 'No User exists for *\r\n']);
      const nomatch = run(state, 'quser', ['zed', '/server:rds1']);
      assert.deepEqual([nomatch.exitCode, nomatch.stderr], [1, 'No User exists for zed\r\n']);
    });

    it('quser filters by user, session name or id', () => {
      for (const filter of ['ALICE', 'rdp-tcp#7', '3']) {
        const rows = run(state, 'quser', [filter, '/server:rds1']).stdout.trim().split('\r\n');
        assert.equal(rows.length, 2, filter);
        assert.match(rows[1] ?? '', /alice/);
      }
    });

    it('bad arguments: Invalid parameter(s) + usage, exit 1', () => {
      for (const args of [['/bogus'], ['-x'], ['a', 'b'], ['/server:']]) {
        const r = run(state, 'quser', args);
        assert.equal(r.exitCode, 1, args.join(' '));
        assert.match(r.stderr, /^Invalid parameter\(s\)\r\n/);
      }
      assert.match(run(state, 'query', ['nonsense']).stderr, /^Invalid parameter\(s\)/);
    });

    it('sessions that log off by themselves vanish once their time has passed', () => {
      assert.match(run(state, 'quser', ['/server:rds1'], undefined, T0 + 999).stdout, /carol/);
      const later = run(state, 'quser', ['/server:rds1'], undefined, T0 + 1000);
      assert.doesNotMatch(later.stdout, /carol/);
      assert.equal(later.mutated, true);
    });
  });

  describe('faults', () => {
    const cases: [string, RegExp, RegExp][] = [
      ['denied', /^Error 0x00000005 enumerating sessionnames\r\n/, /Error \[5\]:Access is denied\.\r\n$/],
      ['gone', /^Error 0x000006BA enumerating sessionnames\r\n/, /Error \[1722\]:The RPC server is unavailable\.\r\n$/],
      ['kerb', /^Error 0x00000721 enumerating sessionnames\r\n/, /Error \[1825\]:A security package specific error occurred\.\r\n$/],
      ['no-such-host', /^Error 0x000006BA/, /\[1722\]/],
      ['ruhost', /^Ошибка 0x00000005 перечисления сеансов\r\n/, /^Ошибка \[5\]:Отказано в доступе\.\r\n$/m],
      ['dehost', /^Fehler 0x000006BA/, /^Fehler \[1722\]:/m],
    ];
    for (const [host, first, second] of cases) {
      it(`${host}: exit 1, localized two-line stderr with the bracketed code`, () => {
        for (const program of ['quser', 'qwinsta']) {
          const r = run(state, program, [`/server:${host}`]);
          assert.equal(r.exitCode, 1);
          assert.equal(r.stdout, '');
          assert.match(r.stderr, first);
          assert.match(r.stderr, second);
        }
      });
    }

    it('the Russian access-denied text is the captured one (fixture 058)', async () => {
      const real = realOutput('058-error-ru.txt').toString('utf8');
      assert.equal(run(state, 'quser', ['/server:ruhost']).stderr, real.replace(/\n/g, '\r\n'));
    });

    it('latency and hang are reported, not slept', () => {
      assert.equal(run(state, 'quser', ['/server:gone']).delayMs, 50);
      const hang = run(state, 'quser', ['/server:stuck']);
      assert.equal(hang.hang, true);
    });

    it('transient failures: RPC unavailable for the first N calls, then answers', () => {
      const codes = [1, 2, 3].map(() => run(state, 'quser', ['/server:flaky']).exitCode);
      assert.deepEqual(codes, [1, 1, 0]);
    });

    it('faultAfterCalls: a host that dies mid-run', () => {
      const s = createFarmState(farm({ dying: { fault: 'access-denied', faultAfterCalls: 1, sessions: [] } }), T0);
      assert.equal(run(s, 'qwinsta', ['/server:dying']).exitCode, 0);
      assert.match(run(s, 'qwinsta', ['/server:dying']).stderr, /\[5\]/);
    });
  });

  describe('logoff', () => {
    it('removes the session; /v says so', () => {
      const r = run(state, 'logoff', ['3', '/server:rds1', '/v']);
      assert.deepEqual([r.exitCode, r.stdout, r.mutated], [0, 'Logging off session ID 3\r\n', true]);
      assert.equal(state.hosts['rds1']?.sessions.some((s) => s.id === 3), false);
    });

    it('not found, session 0, console and listener fail with non-zero exit and a bracketed code', () => {
      const cases: [string, RegExp][] = [['42', /\[7022\]/], ['0', /\[5\]:Access is denied/], ['1', /\[50\]/], ['65536', /\[50\]/]];
      for (const [id, text] of cases) {
        const r = run(state, 'logoff', [id, '/server:rds1']);
        assert.equal(r.exitCode, 1, id);
        assert.match(r.stderr, text);
        assert.equal(r.mutated, false);
      }
      assert.equal(state.hosts['rds1']?.sessions.length, 7);
    });

    it('a session name must be active; a disconnected id is fine', () => {
      assert.equal(run(state, 'logoff', ['rdp-tcp#7', '/server:rds1']).exitCode, 0);
      assert.equal(run(state, 'logoff', ['4', '/server:rds1']).exitCode, 0);
    });

    it('with no session logs off the CALLER, like the real logoff (the danger the tool must avoid)', () => {
      assert.equal(run(state, 'logoff', []).exitCode, 0);
      assert.equal(state.hosts['ADMIN01']?.sessions.some((s) => s.id === 2), false);
    });

    it('faults apply: access denied on a denied host', () => {
      const r = run(state, 'logoff', ['3', '/server:denied']);
      assert.equal(r.exitCode, 1);
      assert.match(r.stderr, /Error \[5\]:Access is denied\./);
    });
  });

  describe('msg', () => {
    it('reads the text from stdin and records it with host, session, time and seconds', () => {
      const r = run(state, 'msg', ['3', '/server:rds1', '/time:30'], 'Server restarts in 5 minutes\n', T0 + 5);
      assert.equal(r.exitCode, 0);
      assert.deepEqual(state.hosts['rds1']?.messages, [{ sessionId: 3, text: 'Server restarts in 5 minutes', time: T0 + 5, seconds: 30 }]);
    });

    it('to a disconnected or missing session: non-zero exit, nothing recorded', () => {
      assert.equal(run(state, 'msg', ['4', '/server:rds1'], 'hi').exitCode, 1);
      assert.match(run(state, 'msg', ['99', '/server:rds1'], 'hi').stderr, /\[7022\]/);
      assert.deepEqual(state.hosts['rds1']?.messages, []);
    });

    it('logsOffOnMessage sessions leave when warned', () => {
      run(state, 'msg', ['6', '/server:rds1'], 'bye');
      assert.equal(state.hosts['rds1']?.sessions.some((s) => s.id === 6), false);
    });
  });

  describe('change logon and reg', () => {
    it('change logon sets and queries the local host state; reg reads it back', () => {
      assert.match(run(state, 'change', ['logon', '/query']).stdout, /currently ENABLED/);
      assert.equal(run(state, 'change', ['logon', '/drain']).exitCode, 0);
      assert.equal(state.hosts['ADMIN01']?.logons, 'drain');
      const reg = run(state, 'reg', ['query', 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server', '/v', 'TSServerDrainMode']);
      assert.equal(reg.stdout, '\r\nHKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Terminal Server\r\n    TSServerDrainMode    REG_DWORD    0x2\r\n\r\n');
      run(state, 'change', ['logon', '/DISABLE']);
      const ws = run(state, 'reg', ['query', 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon', '/v', 'WinStationsDisabled']);
      assert.match(ws.stdout, / {4}WinStationsDisabled {4}REG_SZ {4}1\r\n/);
    });

    it('change logon rejects /server: (it is local only)', () => {
      const r = run(state, 'change', ['logon', '/drain', '/server:rds1']);
      assert.equal(r.exitCode, 1);
      assert.match(r.stderr, /^Invalid parameter\(s\)\r\nEnable or Disable session logins\./);
      assert.equal(state.hosts['rds1']?.logons, undefined);
    });

    it('reg reads remote drain mode and the caller short date', () => {
      const s = createFarmState(farm({ rds2: { logons: 'drain-until-restart', sessions: [] } }), T0);
      const remote = run(s, 'reg', ['query', '\\\\rds2\\HKLM\\System\\CurrentControlSet\\Control\\Terminal Server', '/v', 'TSServerDrainMode']);
      assert.match(remote.stdout, /^\r\n\\\\rds2\\HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Terminal Server\r\n {4}TSServerDrainMode {4}REG_DWORD {4}0x1\r\n/);
      const date = run(s, 'reg', ['query', 'HKCU\\Control Panel\\International', '/v', 'sShortDate']);
      assert.equal(date.stdout, '\r\nHKEY_CURRENT_USER\\Control Panel\\International\r\n    sShortDate    REG_SZ    M/d/yyyy\r\n\r\n');
      assert.match(run(s, 'reg', ['query', '\\\\gone\\HKLM\\System\\CurrentControlSet\\Control\\Terminal Server', '/v', 'TSServerDrainMode']).stderr, /network path was not found/);
      assert.equal(run(s, 'reg', ['query', 'HKCU\\Nope', '/v', 'x']).exitCode, 1);
    });
  });

  describe('hostile argv', () => {
    const hostile = ['$(whoami)', '`id`', "a'b", '"q"', ';rm -rf /', 'a|b', 'a&b', '’', '\n'];
    it('is recorded literally, one argument each, and never interpreted', () => {
      for (const value of hostile) {
        const r = run(state, 'quser', [value, '/server:rds1']);
        assert.equal(r.exitCode, 1);
        assert.equal(r.stderr, `No User exists for ${value}\r\n`);
      }
      run(state, 'msg', ['3', '/server:rds1'], '$(whoami) `id`');
      assert.deepEqual(state.calls.slice(0, hostile.length).map((c) => c.args[0]), hostile);
      assert.deepEqual(state.calls.at(-1), { program: 'msg', args: ['3', '/server:rds1'], stdin: '$(whoami) `id`' });
      assert.equal(state.hosts['rds1']?.messages[0]?.text, '$(whoami) `id`');
    });
  });

  describe('parseFarm', () => {
    it('names the bad field', () => {
      const bad: [unknown, string][] = [
        [{ hosts: {} }, 'farm.localHost'],
        [{ localHost: 'a', hosts: { h: { sessions: [{ id: 1, name: null, user: 'x', state: 'Bogus' }] } } }, 'hosts.h.sessions[0].state'],
        [{ localHost: 'a', hosts: { h: { fault: 'fire', sessions: [] } } }, 'hosts.h.fault'],
        [{ localHost: 'a', hosts: { h: { sessions: [{ id: -1, state: 'Active' }] } } }, 'hosts.h.sessions[0].id'],
        [{ localHost: 'a', hosts: { 'bad name': { sessions: [] } } }, 'hosts.bad name'],
      ];
      for (const [json, field] of bad) {
        assert.throws(() => parseFarm(json), (e: unknown) => e instanceof ValidationError && e.code === 'ERR_INVALID_ARGUMENT' && e.argument === field);
      }
    });

    it('adds services, console and listener; is idempotent', () => {
      const f = parseFarm({ localHost: 'x', hosts: { h: { sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'u', state: 'Active' }] } } });
      assert.deepEqual(f.hosts['h']?.sessions.map((s) => s.id), [0, 1, 2, 65536]);
      assert.deepEqual(parseFarm(f), f);
      assert.ok(f.hosts['x'], 'the local host exists even when not listed');
    });
  });
});
