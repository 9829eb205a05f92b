import assert from 'node:assert/strict';
import { rewriteShortcut, type ShortcutResult } from '../../src/cli/shortcut.js';

const TABLE: [string[], ShortcutResult][] = [
  // help as git and npm take it.
  [['help'], { kind: 'help', exitCode: 0, reason: null }],
  [['help', 'drain'], { kind: 'argv', argv: ['drain', '--help'] }],
  [['help', 'nope'], { kind: 'error', message: 'no help for "nope": the commands are list, logoff, message, drain, logons, parse, report and completion' }],
  // Microsoft's own examples of logoff.exe.
  [['12'], { kind: 'argv', argv: ['logoff', '12'] }],
  [['TERM04', '/server:Server1'], { kind: 'argv', argv: ['logoff', 'TERM04', '--server=Server1'] }],
  [['12', '/server:Server1', '/v'], { kind: 'argv', argv: ['logoff', '12', '--server=Server1', '--verbose'] }],
  [['/?'], { kind: 'help', exitCode: 0, reason: null }],
  [['-?'], { kind: 'help', exitCode: 0, reason: null }],
  [['12', '/?'], { kind: 'help', exitCode: 0, reason: null }],
  [['/SERVER:rds01', '7'], { kind: 'argv', argv: ['logoff', '7', '--server=rds01'] }],
  [['rdp-tcp#3', '/V'], { kind: 'argv', argv: ['logoff', 'rdp-tcp#3', '--verbose'] }],
  [['12', '--dry-run', '--format', 'json'], { kind: 'argv', argv: ['logoff', '12', '--dry-run', '--format', 'json'] }],
  // A hostile server value stays one token: logoff's validation rejects it.
  [['12', '/server:-x;whoami'], { kind: 'argv', argv: ['logoff', '12', '--server=-x;whoami'] }],
  // No session: never the caller's own session.
  [[], { kind: 'help', exitCode: 2, reason: null }],
  [['/server:Server1'], { kind: 'help', exitCode: 2, reason: 'No session given: session-logoff never logs off your own session without `logoff --self`.' }],
  [['/v'], { kind: 'help', exitCode: 2, reason: 'No session given: session-logoff never logs off your own session without `logoff --self`.' }],
  // A bare word without a switch is a command (or an unknown one) for yargs.
  [['TERM04'], { kind: 'argv', argv: ['TERM04'] }],
  [['lisst'], { kind: 'argv', argv: ['lisst'] }],
  [['list', '/v'], { kind: 'argv', argv: ['list', '/v'] }],
  [['logoff', '12', '/server:x'], { kind: 'argv', argv: ['logoff', '12', '/server:x'] }],
  [['--help'], { kind: 'argv', argv: ['--help'] }],
];

describe('rewriteShortcut (logoff.exe syntax)', () => {
  for (const [input, expected] of TABLE) {
    it(`${JSON.stringify(input)}`, () => {
      assert.deepEqual(rewriteShortcut(input), expected);
    });
  }

  it('rejects unknown switches and two sessions', () => {
    assert.equal(rewriteShortcut(['12', '/x']).kind, 'error');
    assert.equal(rewriteShortcut(['12', '13', '/v']).kind, 'error');
  });
});
