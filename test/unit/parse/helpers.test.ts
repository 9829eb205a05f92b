import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { dateOrderFromPattern } from '../../../src/parse/date-order.js';
import { decodeOutput } from '../../../src/parse/decode.js';
import { stringWidth } from '../../../src/parse/display-width.js';
import { parseIdleTime } from '../../../src/parse/idle-time.js';
import { readLogonText, toIsoLocal } from '../../../src/parse/logon-time.js';
import { canonicalState } from '../../../src/parse/states.js';
import { parseQuser } from '../../../src/parse/quser.js';

describe('parseIdleTime', () => {
  const table: [string, number | null][] = [
    ['.', 0], ['none', 0], ['Kein', 0], ['ninguno', 0], ['aucun', 0], ['5', 5], ['1:02', 62],
    ['1+00:53', 1493], ['*', null], ['24692+13:29', null], ['1:75', null], ['abc', null], ['', null],
  ];
  for (const [text, minutes] of table) it(`${JSON.stringify(text)} → ${minutes}`, () => assert.equal(parseIdleTime(text), minutes));
});

describe('dateOrderFromPattern', () => {
  const table: [string, string | null][] = [
    ['M/d/yyyy', 'mdy'], ['dd.MM.yyyy', 'dmy'], ['d/MM/yyyy', 'dmy'], ['yyyy/M/d', 'ymd'], ['dd-MMM-yy', 'dmy'],
    ["yyyy'年'M'月'd'日'", 'ymd'], ['yyyy/dd/MM', null], ['', null],
  ];
  for (const [pattern, order] of table) it(`${pattern} → ${order}`, () => assert.equal(dateOrderFromPattern(pattern), order));
});

describe('canonicalState', () => {
  const table: [string, string][] = [
    ['Active', 'Active'], ['Getr.', 'Disconnected'], ['Abhör.', 'Listen'], ['Rimani  in ascolto', 'Listen'],
    ['Активно', 'Active'], ['运行中', 'Active'], ['断开', 'Disconnected'], ['アクティブ', 'Active'], ['xyz', 'Unknown'],
  ];
  for (const [text, state] of table) it(`${text} → ${state}`, () => assert.equal(canonicalState(text), state));
});

describe('logon times', () => {
  it('reads 12-hour markers in other languages', () => {
    const r = readLogonText('2026/11/7', '下午 01:19');
    assert.equal(r && toIsoLocal(r, null), '2026-11-07T13:19');
  });
  it('never guesses the order of an ambiguous date', () => {
    const r = readLogonText('4/1/2022', '4:09 AM');
    assert.equal(r && toIsoLocal(r, null), null);
    assert.equal(r && toIsoLocal(r, 'dmy'), '2022-01-04T04:09');
  });
  it('rejects impossible dates and times', () => {
    assert.equal(readLogonText('1/2/2026', '13:00 PM'), null);
    const r = readLogonText('31/2/2026', '10:00');
    assert.equal(r && toIsoLocal(r, 'dmy'), null);
  });
  it('takes the order only from evidence in the same output, not from AM/PM', () => {
    const text = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n' +
      ' a                     rdp-tcp#1           2  Active          .  3/4/2026 9:00 AM\n' +
      ' b                     rdp-tcp#2           3  Active          .  13/4/2026 9:00 PM\n';
    assert.deepEqual(parseQuser(text).sessions.map((s) => s.logonTime), ['2026-04-03T09:00', '2026-04-13T21:00']);
  });
  it('leaves logonTime null when rows contradict each other', () => {
    const text = ' a                     rdp-tcp#1           2  Active          .  13/4/2026 9:00\n' +
      ' b                     rdp-tcp#2           3  Active          .  4/13/2026 9:00\n';
    assert.deepEqual(parseQuser(text).sessions.map((s) => s.logonTime), [null, null]);
  });
  it('flags dates that contradict options.dateOrder', () => {
    const text = ' a                     rdp-tcp#1           2  Active          .  13/4/2026 9:00\n';
    const result = parseQuser(text, { dateOrder: 'mdy' });
    assert.equal(result.sessions[0]?.logonTime, null);
    assert.ok(result.issues.some((i) => i.code === 'BAD_DATE' && i.line === 1));
  });
});

describe('decodeOutput', () => {
  it('decodes OEM code pages', () => {
    assert.equal(decodeOutput(iconv.encode('Ärger', 'cp850'), 'cp850'), 'Ärger');
    assert.equal(decodeOutput(iconv.encode('Ошибка', 'cp866'), 'cp866'), 'Ошибка');
    assert.equal(decodeOutput(iconv.encode('切断', 'cp932'), 'cp932'), '切断');
  });
  it('recognises UTF-16LE by its BOM whatever the encoding says, and strips UTF-8 BOMs', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(' ID', 'utf16le')]);
    assert.equal(decodeOutput(utf16, 'cp437'), ' ID');
    assert.equal(decodeOutput(Buffer.from('\ufeffabc', 'utf8')), 'abc');
    assert.equal(decodeOutput('\ufeffabc'), 'abc');
  });
  it('flags bytes that are not valid in the chosen encoding', () => {
    const result = parseQuser(iconv.encode(' jürgen  rdp-tcp#1  2  Aktiv  .  1.1.2026 10:00', 'cp850'));
    assert.ok(result.issues.some((i) => i.code === 'DECODE' && i.line === 0));
  });
});

describe('display width', () => {
  it('counts CJK as two columns and Cyrillic as one', () => {
    assert.equal(stringWidth('运行中'), 6);
    assert.equal(stringWidth('Активно'), 7);
  });
});

describe('damaged rows are read right or flagged', () => {
  it('flags a session name glued to the user name instead of guessing', () => {
    const text = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n' +
      ' administrator12345678rdp-tcp#7           4  Active          .  11/24/2026 9:05 AM\n';
    const result = parseQuser(text);
    assert.equal(result.sessions.length, 0);
    assert.deepEqual(result.issues.map((i) => [i.line, i.code]), [[2, 'UNREADABLE_ROW']]);
  });
  it('reads a numeric user name without taking it for the ID', () => {
    const text = ' 100234                rdp-tcp#3           7  Active          .  24.11.2026 09:00\n';
    assert.deepEqual(parseQuser(text).sessions.map((s) => [s.username, s.id]), [['100234', 7]]);
  });
  it('stamps options.host on every record', () => {
    const text = ' a                     rdp-tcp#1           2  Active          .  24.11.2026 09:00\n';
    assert.equal(parseQuser(text, { host: 'srv1' }).sessions[0]?.host, 'srv1');
  });
});
