import assert from 'node:assert/strict';
import { parseQuerySession } from '../../../src/parse/query-session.js';
import { parseQuser } from '../../../src/parse/quser.js';
import type { ParseResult } from '../../../src/types.js';

// User names may hold spaces and digits (sAMAccountName allows both), so a name such as `ops 2 disc` puts
// a number followed by a state word before the real ID. Issue 9: the right id or a flagged row, never a wrong id.
const QWINSTA_NARROW = ' SESSIONNAME       USERNAME                 ID  STATE   TYPE        DEVICE';
const QWINSTA_WIDE = ' SESSIONNAME               USERNAME                 ID  STATE   TYPE        DEVICE';
const QUSER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';

function rows(result: ParseResult): [number, string | null, string | null, string, boolean][] {
  return result.sessions.map((s) => [s.id, s.sessionName, s.username, s.state, s.ambiguous !== undefined]);
}
function codes(result: ParseResult): [number, string][] {
  return result.issues.map((i) => [i.line, i.code]);
}

describe('a row never yields a wrong session id', () => {
  it('query session (narrow): a user name with a number and a state word is read by the header columns', () => {
    const text = [
      QWINSTA_NARROW,
      ' rdp-tcp#5         ops 2 disc                5  Active',
      '                   lab 3 pc                  6  Disc',
      ' rdp-tcp#7         lab 3 pc                  7  Xyz',
    ].join('\r\n');
    const result = parseQuerySession(text);
    assert.deepEqual(rows(result), [
      [5, 'rdp-tcp#5', 'ops 2 disc', 'Active', false],
      [6, null, 'lab 3 pc', 'Disconnected', false],
      [7, 'rdp-tcp#7', 'lab 3 pc', 'Unknown', false],
    ]);
    assert.deepEqual(result.sessions.map((s) => [s.type, s.device]), [[null, null], [null, null], [null, null]]);
    assert.deepEqual(codes(result), [[4, 'UNKNOWN_STATE']]);
  });

  it('query session (wide): the same, and a number as the first word of a user name is not the ID', () => {
    const text = [
      QWINSTA_WIDE,
      ' rdp-tcp#5                 ops 2 disc                5  Active',
      '                           2 Disc                    9  Disc',
    ].join('\n');
    assert.deepEqual(rows(parseQuerySession(text)), [
      [5, 'rdp-tcp#5', 'ops 2 disc', 'Active', false],
      [9, null, '2 Disc', 'Disconnected', false],
    ]);
  });

  it('query session without a header: a row that reads two ways is flagged, never acted on as another id', () => {
    const text = [' rdp-tcp#5         ops 2 disc                5  Active', '                   lab 3 pc                  6  Xyz'].join('\n');
    const result = parseQuerySession(text);
    for (const s of result.sessions) assert.ok(s.ambiguous !== undefined || (s.id !== 2 && s.id !== 3), JSON.stringify(s));
    assert.deepEqual(result.sessions.map((s) => s.id), [5, 6]);
    assert.ok(result.sessions.every((s) => typeof s.ambiguous === 'string' && s.ambiguous.length > 0));
    assert.deepEqual(codes(result).filter(([, c]) => c === 'AMBIGUOUS_ROW'), [[1, 'AMBIGUOUS_ROW'], [2, 'AMBIGUOUS_ROW']]);
  });

  it('quser: a user name with a number and a state word is read, not dropped', () => {
    const text = [
      QUSER,
      ' ops 2 disc            rdp-tcp#5           5  Active          .  4/1/2022 4:09 AM',
      ' lab 3 pc                                  6  Xyz            12  4/1/2022 4:09 AM',
    ].join('\n');
    const result = parseQuser(text);
    assert.deepEqual(rows(result), [
      [5, 'rdp-tcp#5', 'ops 2 disc', 'Active', false],
      [6, null, 'lab 3 pc', 'Unknown', false],
    ]);
    assert.deepEqual(codes(result), [[3, 'UNKNOWN_STATE']]);
  });

  it('a session id printed twice in one output flags both rows', () => {
    const text = [
      QWINSTA_NARROW,
      ' rdp-tcp#1         ann                       2  Active',
      ' rdp-tcp#2         bob                       2  Active',
      ' rdp-tcp#3         cy                        3  Active',
    ].join('\n');
    const result = parseQuerySession(text);
    assert.deepEqual(rows(result).map((r) => [r[0], r[4]]), [[2, true], [2, true], [3, false]]);
    assert.deepEqual(codes(result), [[2, 'DUPLICATE_ID'], [3, 'DUPLICATE_ID']]);
    const quser = parseQuser([QUSER, ' ann                   rdp-tcp#1           2  Active          .  4/1/2022 4:09 AM', ' bob                   rdp-tcp#2           2  Active          .  4/1/2022 4:09 AM'].join('\n'));
    assert.deepEqual(quser.sessions.map((s) => s.ambiguous !== undefined), [true, true]);
  });
});
