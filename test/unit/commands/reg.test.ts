import assert from 'node:assert/strict';
import { logonStateFrom, parseRegValue, regDword } from '../../../src/commands/reg.js';

const SHORT_DATE = '\r\nHKEY_CURRENT_USER\\Control Panel\\International\r\n    sShortDate    REG_SZ    dd.MM.yyyy\r\n\r\n';
const DRAIN = '\r\nHKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Terminal Server\r\n    TSServerDrainMode    REG_DWORD    0x2\r\n\r\n';

describe('reg query output', () => {
  it('reads a REG_SZ value', () => assert.deepEqual(parseRegValue(SHORT_DATE, 'sshortdate'), { type: 'REG_SZ', data: 'dd.MM.yyyy' }));
  it('reads a REG_DWORD value', () => assert.equal(regDword(parseRegValue(DRAIN, 'TSServerDrainMode')), 2));
  it('reads a value with spaces', () => assert.deepEqual(parseRegValue('    sShortDate    REG_SZ    d MMM yyyy', 'sShortDate'), { type: 'REG_SZ', data: 'd MMM yyyy' }));
  it('returns null when absent', () => {
    assert.equal(parseRegValue('ERROR: The system was unable to find the specified registry key or value.', 'sShortDate'), null);
    assert.equal(regDword(null), null);
    assert.equal(regDword({ type: 'REG_DWORD', data: 'zz' }), null);
  });
  const table: Array<[number | null | undefined, number | null | undefined, string]> = [
    [0, 0, 'enabled'],
    [null, null, 'enabled'],
    [1, 0, 'drain-until-restart'],
    [2, 0, 'drain'],
    [2, 1, 'disabled'],
    [0, 1, 'disabled'],
    [7, 0, 'unknown'],
    [undefined, 0, 'unknown'],
    [0, undefined, 'unknown'],
  ];
  for (const [drainMode, winStationsDisabled, state] of table) {
    it(`drain ${String(drainMode)} disabled ${String(winStationsDisabled)} → ${state}`, () => assert.equal(logonStateFrom({ drainMode, winStationsDisabled }), state));
  }
});
