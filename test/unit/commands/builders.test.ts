import assert from 'node:assert/strict';
import { ValidationError } from '../../../src/errors.js';
import type { CommandSpec } from '../../../src/types.js';
import {
  buildChangeLogon,
  buildDrainModeQuery,
  buildLogoff,
  buildMsg,
  buildQuerySession,
  buildQuser,
  buildShortDateQuery,
  buildWinStationsDisabledQuery,
  type SystemContext,
} from '../../../src/commands/index.js';

const LINUX: SystemContext = { platform: 'linux', env: {} };
const WIN: SystemContext = { platform: 'win32', env: { SystemRoot: 'C:\\Windows' }, arch: 'x64' };
const HOSTILE = ["a'b", '$(x)', '’', '-x', '/x', '@f', '*', '\n', 'a\nb', ';', 'a;b', '|', 'a|b', '`x`', 'a b', ''];

function assertInvalid(fn: () => CommandSpec, argument: string): void {
  let spec: CommandSpec | undefined;
  assert.throws(
    () => {
      spec = fn();
    },
    (error: unknown) => error instanceof ValidationError && error.code === 'ERR_INVALID_ARGUMENT' && error.argument === argument,
  );
  assert.equal(spec, undefined);
}

describe('command builders', () => {
  const table: Array<[string, () => CommandSpec, CommandSpec]> = [
    ['quser local', () => buildQuser({}, LINUX), { file: 'quser', args: [] }],
    ['quser remote', () => buildQuser({ server: 'rds01.corp' }, LINUX), { file: 'quser', args: ['/server:rds01.corp'] }],
    ['quser null server is local', () => buildQuser({ server: null }, LINUX), { file: 'quser', args: [] }],
    ['quser filter', () => buildQuser({ filter: 'ben bolen', server: '10.0.0.5' }, LINUX), { file: 'quser', args: ['ben bolen', '/server:10.0.0.5'] }],
    ['quser id filter', () => buildQuser({ filter: '12' }, WIN), { file: 'C:\\Windows\\System32\\quser.exe', args: ['12'] }],
    ['qwinsta', () => buildQuerySession({ server: 'fe80::1' }, LINUX), { file: 'qwinsta', args: ['/server:fe80::1'] }],
    ['qwinsta win', () => buildQuerySession({}, WIN), { file: 'C:\\Windows\\System32\\qwinsta.exe', args: [] }],
    ['logoff', () => buildLogoff({ id: 3 }, LINUX), { file: 'logoff', args: ['3'] }],
    ['logoff remote /v', () => buildLogoff({ id: 65535, server: 'rds01', verbose: true }, WIN), { file: 'C:\\Windows\\System32\\logoff.exe', args: ['65535', '/server:rds01', '/v'] }],
    ['msg', () => buildMsg({ id: 4, text: 'bye' }, LINUX), { file: 'msg', args: ['4'], input: 'bye' }],
    ['msg remote timed', () => buildMsg({ id: 4, server: 'h', seconds: 60, text: 'a\r\nb' }, LINUX), { file: 'msg', args: ['4', '/server:h', '/time:60'], input: 'a\nb' }],
    ['msg hostile text stays on stdin', () => buildMsg({ id: 2, text: "-x /x $(whoami) `a` ' ’ ; |" }, LINUX), { file: 'msg', args: ['2'], input: "-x /x $(whoami) `a` ' ’ ; |" }],
    ['change logon drain', () => buildChangeLogon('drain', LINUX), { file: 'change', args: ['logon', '/drain'] }],
    ['change logon until restart', () => buildChangeLogon('drain-until-restart', WIN), { file: 'C:\\Windows\\System32\\change.exe', args: ['logon', '/drainuntilrestart'] }],
    ['change logon enable', () => buildChangeLogon('enable', LINUX), { file: 'change', args: ['logon', '/enable'] }],
    ['change logon disable', () => buildChangeLogon('disable', LINUX), { file: 'change', args: ['logon', '/disable'] }],
    ['change logon query', () => buildChangeLogon('query', LINUX), { file: 'change', args: ['logon', '/query'] }],
    ['reg sShortDate', () => buildShortDateQuery(LINUX), { file: 'reg', args: ['query', 'HKCU\\Control Panel\\International', '/v', 'sShortDate'] }],
    ['reg drain local', () => buildDrainModeQuery({}, WIN), { file: 'C:\\Windows\\System32\\reg.exe', args: ['query', 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server', '/v', 'TSServerDrainMode'] }],
    ['reg drain remote', () => buildDrainModeQuery({ server: 'rds01' }, LINUX), { file: 'reg', args: ['query', '\\\\rds01\\HKLM\\System\\CurrentControlSet\\Control\\Terminal Server', '/v', 'TSServerDrainMode'] }],
    ['reg winstations remote', () => buildWinStationsDisabledQuery({ server: 'rds01' }, LINUX), { file: 'reg', args: ['query', '\\\\rds01\\HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon', '/v', 'WinStationsDisabled'] }],
  ];
  for (const [name, build, expected] of table) it(name, () => assert.deepEqual(build(), expected));

  describe('hostile servers build nothing', () => {
    for (const server of HOSTILE) {
      it(`server ${JSON.stringify(server)}`, () => {
        assertInvalid(() => buildQuser({ server }, LINUX), 'server');
        assertInvalid(() => buildQuerySession({ server }, LINUX), 'server');
        assertInvalid(() => buildLogoff({ id: 2, server }, LINUX), 'server');
        assertInvalid(() => buildMsg({ id: 2, server, text: 'x' }, LINUX), 'server');
        assertInvalid(() => buildDrainModeQuery({ server }, LINUX), 'server');
      });
    }
  });

  describe('hostile quser filters build nothing', () => {
    for (const filter of [...HOSTILE.filter((h) => h !== 'a b'), '"x"', 'a ', ' a']) it(JSON.stringify(filter), () => assertInvalid(() => buildQuser({ filter }, LINUX), 'filter'));
  });

  describe('logoff and msg need a real, unprotected numeric id', () => {
    for (const id of [Number.NaN, -1, 1.5, 0, 65536, 70000, '3' as unknown as number, undefined as unknown as number]) {
      it(`id ${String(id)}`, () => {
        assertInvalid(() => buildLogoff({ id }, LINUX), 'session');
        assertInvalid(() => buildMsg({ id, text: 'x' }, LINUX), 'session');
      });
    }
  });

  it('msg refuses bad text and bad seconds', () => {
    assertInvalid(() => buildMsg({ id: 2, text: '' }, LINUX), 'text');
    assertInvalid(() => buildMsg({ id: 2, text: 'x'.repeat(256) }, LINUX), 'text');
    assertInvalid(() => buildMsg({ id: 2, text: 'a\u0007' }, LINUX), 'text');
    for (const seconds of [0, -1, 1.5, 86_401]) assertInvalid(() => buildMsg({ id: 2, text: 'x', seconds }, LINUX), 'seconds');
  });

  it('change logon refuses unknown modes', () => {
    assertInvalid(() => buildChangeLogon('/x' as 'drain', LINUX), 'mode');
    assertInvalid(() => buildChangeLogon('toString' as 'drain', LINUX), 'mode');
  });
});
