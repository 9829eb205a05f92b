import assert from 'node:assert/strict';
import type { SimLanguage, SimSession } from '../../../src/sim/farm.js';
import { renderQuerySession, renderQuser, type RenderOptions } from '../../../src/sim/render.js';
import { formatDotNet } from '../../../src/sim/dotnet-date.js';
import { displayWidth } from '../../../src/sim/text-width.js';
import { realOutput } from '../../helpers/fixtures.js';

function fixture(name: string): string {
  // Captured pastes have LF; a real console writes CRLF.
  return realOutput(name).toString('utf8').replace(/\r?\n/g, '\r\n');
}

type Row = [id: number, name: string | null, user: string | null, state: SimSession['state'], idle?: number | null | undefined, logon?: string];
const rows = (list: Row[]): SimSession[] =>
  list.map(([id, name, user, state, idle, logon]) => ({
    id, name, user, state,
    ...(idle !== undefined ? { idleMinutes: idle } : {}),
    ...(logon !== undefined ? { logon } : {}),
  }));

function opts(language: SimLanguage, shortDate: string, shortTime: string, current: number | null, layout?: 'wide'): RenderOptions {
  return { language, shortDate, shortTime, currentSessionId: current, ...(layout ? { layout } : {}) };
}

const US = ['M/d/yyyy', 'h:mm tt'] as const;

const QUSER_CASES: [string, SimSession[], RenderOptions][] = [
  ['003-quser-en.txt', rows([[2, 'rdp-tcp#6', 'administrator', 'Active', 0, '2022-04-01T04:09'], [3, null, 'luke', 'Disc', 0, '2022-04-06T06:51']]), opts('en', ...US, 2)],
  ['004-quser-en.txt', rows([[2, null, 'ben bolen', 'Disc', 1493, '2026-09-16T09:33']]), opts('en', ...US, null)],
  ['008-quser-en.txt', rows([[1, 'console', 'SomeUser', 'Active', undefined, '2015-08-16T17:29']]), opts('en', ...US, 1)],
  ['011-quser-de.txt', rows([[4, 'console', 'manfred', 'Active', null, '2025-04-28T12:03']]), opts('de', 'dd.MM.yyyy', 'HH:mm', null)],
  ['014-quser-es.txt', rows([[1, 'console', 'mabe-b3', 'Active', null, '2018-07-25T07:46'], [2, null, 'otro00', 'Disc', 2, '2018-07-25T10:51']]), opts('es', 'd/M/yyyy', 'H:mm', 1)],
  ['018-quser-fr.txt', rows([[2, 'rdp-tcp#1', 'jsboi', 'Active', 2, '2026-09-20T12:27']]), opts('fr', 'dd/MM/yyyy', 'HH:mm', 2)],
  ['022-quser-ru.txt', rows([[2, 'rdp-tcp#3', 'admin', 'Active', 10, '2022-03-27T21:18']]), opts('ru', 'dd.MM.yyyy', 'H:mm', null)],
  ['025-quser-zh.txt', rows([[2, 'rdp-tcp#0', 'john', 'Active', 94, '2023-11-07T13:19']]), opts('zh', 'yyyy/M/d', 'H:mm', null)],
  ['029-quser-zh.txt', rows([[1, 'rdp-tcp#1', 'administrator', 'Active', 0, '2020-12-14T11:14'], [2, 'rdp-tcp#0', 'test', 'Active', 62, '2020-12-14T13:04']]), opts('zh', 'yyyy/M/d', 'H:mm', 1)],
];

const QWINSTA_CASES: [string, SimSession[], RenderOptions][] = [
  ['031-qwinsta-en.txt', rows([[0, 'services', null, 'Disc'], [1, 'console', 'forend', 'Active'], [65536, 'rdp-tcp', null, 'Listen']]), opts('en', ...US, 1)],
  ['034-qwinsta-en.txt', rows([[0, 'services', null, 'Disc'], [1, 'console', 'vmadmin', 'Active'], [65536, '31c5ce94259d4006a9e4', null, 'Listen']]), opts('en', ...US, 0, 'wide')],
  ['041-qwinsta-de.txt', rows([[0, 'services', null, 'Disc'], [3, 'console', 'Leo', 'Active'], [65536, 'rdp-tcp', null, 'Listen']]), opts('de', ...US, null)],
  ['043-qwinsta-es.txt', rows([
    [0, 'services', null, 'Disc'], [1, 'console', null, 'Conn'], [2, null, 'sap', 'Disc'], [3, null, 'SAP2', 'Disc'],
    [5, 'rdp-tcp#80', 'jcalderon', 'Active'], [8, null, 'ljimenez', 'Disc'], [9, 'rdp-tcp#76', 'yzlatar', 'Active'],
    [10, null, 'ccoro', 'Disc'], [13, null, 'sap3', 'Disc'], [14, 'rdp-tcp#78', 'fgutierrez', 'Active'],
    [15, null, 'dmendez', 'Disc'], [18, 'rdp-tcp#11', 'ebanegass', 'Active'], [19, null, 'marcoalt', 'Disc'],
    [65536, 'rdp-tcp', null, 'Listen'],
  ]), opts('es', ...US, null)],
  ['049-qwinsta-zh.txt', rows([[0, 'services', null, 'Disc'], [1, 'console', 'testuser', 'Active']]), opts('zh', ...US, 1)],
];

describe('sim/render: byte-for-byte like captured Windows output', () => {
  for (const [file, sessions, options] of QUSER_CASES) {
    it(`quser matches ${file}`, () => {
      assert.equal(renderQuser(sessions, options), fixture(file));
    });
  }
  for (const [file, sessions, options] of QWINSTA_CASES) {
    it(`query session matches ${file}`, () => {
      assert.equal(renderQuerySession(sessions, options), fixture(file));
    });
  }

  it('quser prints nothing (null) when only services, console without user and listeners exist', () => {
    const only = rows([[0, 'services', null, 'Disc'], [1, 'console', null, 'Conn'], [65536, 'rdp-tcp', null, 'Listen']]);
    assert.equal(renderQuser(only, opts('en', ...US, null)), null);
  });

  it('pads CJK usernames by display width so later columns stay aligned', () => {
    const out = renderQuser(rows([[2, 'rdp-tcp#0', '张伟', 'Active', 5, '2024-01-02T03:04']]), opts('ja', 'yyyy/MM/dd', 'H:mm', null));
    const row = out?.split('\r\n')[1] ?? '';
    assert.equal(displayWidth(row.slice(0, row.indexOf('rdp-tcp#0'))), 23);
    assert.match(row, /アクティブ/);
  });

  it('prints idle as ., N, H:MM and D+HH:MM', () => {
    const out = renderQuser(rows([[2, 'a', 'u1', 'Active', 0], [3, 'b', 'u2', 'Active', 59], [4, 'c', 'u3', 'Active', 61], [5, 'd', 'u4', 'Active', 2 * 1440 + 5]]), opts('en', ...US, null)) ?? '';
    const idles = out.split('\r\n').slice(1, 5).map((l) => l.slice(54, 63).trim());
    assert.deepEqual(idles, ['.', '59', '1:01', '2+00:05']);
  });

  it('shifts every column after SESSIONNAME by 8 in the wide layout, for localized headers too', () => {
    const out = renderQuerySession(rows([[0, 'services', null, 'Disc']]), opts('es', ...US, null, 'wide'));
    assert.equal(out.split('\r\n')[0]?.indexOf('ID'), 52);
    assert.equal(out.split('\r\n')[1]?.indexOf('0'), 53);
  });
});

describe('sim/dotnet-date', () => {
  const iso = '2026-11-04T15:07';
  const cases: [string, string][] = [
    ['M/d/yyyy h:mm tt', '11/4/2026 3:07 PM'], ['dd.MM.yyyy HH:mm', '04.11.2026 15:07'],
    ['yyyy/M/d H:mm', '2026/11/4 15:07'], ["dd-MMM-yy 'at' hh:mm", '04-Nov-26 at 03:07'], ['yyyy-MM-dd', '2026-11-04'],
  ];
  for (const [pattern, expected] of cases) it(`formats ${pattern}`, () => assert.equal(formatDotNet(pattern, iso), expected));
});
