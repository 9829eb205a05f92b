import assert from 'node:assert/strict';
import { parseIdleTime } from '../../../src/parse/idle-time.js';
import { readLogonText, toIsoLocal } from '../../../src/parse/logon-time.js';
import { parseQuerySession } from '../../../src/parse/query-session.js';
import { parseQuser } from '../../../src/parse/quser.js';
import { canonicalState } from '../../../src/parse/states.js';
import { realOutput } from '../../helpers/fixtures.js';

// Issue 9, vocabulary: words seen in public captures (test/fixtures/SOURCES.md) are read; a word nobody has
// shown stays unknown (null / Unknown, with a parse issue), never guessed.
describe('vocabulary from public captures', () => {
  it('Russian quser prints "отсутствует" for no idle time (065, 066): idle 0, no issue', () => {
    for (const name of ['065-quser-ru.txt', '066-quser-ru.txt']) {
      const result = parseQuser(realOutput(name));
      assert.deepEqual(result.sessions.map((s) => [s.idleText, s.idleMinutes, s.state]), [['отсутствует', 0, 'Active']], name);
      assert.deepEqual(result.issues, [], name);
    }
    assert.equal(parseIdleTime('Отсутствует'), 0);
  });

  it('Russian query session prints "Прием" for a listener and "Подключено" for connected (067)', () => {
    const result = parseQuerySession(realOutput('067-qwinsta-ru.txt'));
    assert.deepEqual(result.sessions.map((s) => [s.id, s.state]), [[0, 'Disconnected'], [1, 'Connected'], [2, 'Active'], [3, 'Active'], [65536, 'Listen'], [65537, 'Listen']]);
    assert.deepEqual(result.issues.map((i) => i.code), ['TRUNCATED_NAME']);
  });

  it('Chinese query session: 已连接, 侦听 and a TYPE column (068)', () => {
    const result = parseQuerySession(realOutput('068-qwinsta-zh.txt'));
    assert.deepEqual(result.sessions.map((s) => [s.id, s.state, s.type]), [[0, 'Disconnected', null], [1, 'Connected', null], [2, 'Active', 'rdpwd'], [65536, 'Listen', null]]);
    assert.deepEqual(result.issues, []);
  });

  it('an unknown word stays unknown: idle null with BAD_IDLE, state Unknown with UNKNOWN_STATE', () => {
    const text = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n' +
      ' ann                   rdp-tcp#1           2  Wibble   frobz   24.11.2026 09:00\n';
    const result = parseQuser(text);
    assert.deepEqual(result.sessions.map((s) => [s.state, s.idleMinutes]), [['Unknown', null]]);
    assert.deepEqual(result.issues.map((i) => i.code), ['UNKNOWN_STATE', 'BAD_IDLE']);
    assert.equal(canonicalState('Прослуш'), 'Unknown');
  });
});

describe('a date that reads the same in both orders is not ambiguous', () => {
  it('2/2/2021 11:09 AM is 2021-02-02T11:09 with no order known', () => {
    const r = readLogonText('2/2/2021', '11:09 AM');
    assert.equal(r && toIsoLocal(r, null), '2021-02-02T11:09');
    const text = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n' +
      ' ann                   rdp-tcp#1           2  Active          .  2/2/2021 11:09 AM\n' +
      ' bob                   rdp-tcp#2           3  Active          .  12/12/2021 9:00 PM\n' +
      ' cy                    rdp-tcp#3           4  Active          .  3/4/2021 9:00 AM\n';
    // Fast path and general reader alike; 3/4/2021 still has no order to read it by.
    assert.deepEqual(parseQuser(text).sessions.map((s) => s.logonTime), ['2021-02-02T11:09', '2021-12-12T21:00', null]);
  });

  it('a two-digit year still leaves it open: 2/2/21 may be year-first', () => {
    const r = readLogonText('2/2/21', '11:09');
    assert.equal(r && toIsoLocal(r, null), null);
  });
});
