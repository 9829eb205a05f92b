import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyOutput } from '../../../src/parse/classify.js';
import { fixtureDir } from '../../helpers/fixtures.js';

const stderrFixture = (name: string): string => readFileSync(`${fixtureDir('stderr')}${name}`, 'utf8');
const quserFixture = (name: string): string => readFileSync(`${fixtureDir('quser')}${name}`, 'utf8');

describe('classifyOutput', () => {
  const table: [string, { exitCode: number | null; stdout: string; stderr: string }, string, number | null][] = [
    ['a quser table', { exitCode: 0, stdout: quserFixture('003-quser-en.txt'), stderr: '' }, 'sessions', null],
    ['a localized table', { exitCode: 0, stdout: quserFixture('025-quser-zh.txt'), stderr: '' }, 'sessions', null],
    ['No User exists (057, SQL-padded)', { exitCode: 1, stdout: '', stderr: stderrFixture('057-error-en.txt') }, 'empty', null],
    ['No session exists (qwinsta)', { exitCode: 1, stdout: '', stderr: 'No session exists for *\r\n' }, 'empty', null],
    ['a translated "no user" line', { exitCode: 1, stdout: '', stderr: 'Kein Benutzer vorhanden für *\r\n' }, 'empty', null],
    ['RPC unavailable (053)', { exitCode: 1, stdout: '', stderr: stderrFixture('053-error-en.txt') }, 'rpc-unavailable', 1722],
    ['Russian access denied (058)', { exitCode: 1, stdout: '', stderr: stderrFixture('058-error-ru.txt') }, 'access-denied', 5],
    ['access denied, hex code only', { exitCode: 1, stdout: '', stderr: 'Error 0x00000005 enumerating sessionnames' }, 'access-denied', 5],
    ['security package', { exitCode: 1, stdout: '', stderr: 'Error 0x00000721 enumerating sessionnames\r\nError [1825]:A security package specific error occurred.' }, 'security-package', 1825],
    ['invalid parameter', { exitCode: 1, stdout: '', stderr: 'Invalid parameter(s)\r\nDisplay information about users logged on to the system.\r\n\r\nQUERY USER [username | sessionname | sessionid] [/SERVER:servername]\r\n' }, 'invalid-parameter', null],
    ['translated usage text', { exitCode: 1, stdout: '', stderr: 'Parametro non valido\r\nQUERY USER [nome utente] [/SERVER:nomeserver]\r\n' }, 'invalid-parameter', null],
    ['an unknown Win32 code', { exitCode: 1, stdout: '', stderr: 'Error [1234]:Something else.' }, 'unknown', 1234],
    ['nothing at all', { exitCode: 3, stdout: '', stderr: '' }, 'unknown', null],
    // No false success: only a known "nobody there" text proves an empty host, never a short exit-1 output.
    ['an unknown one-line exit-1 text', { exitCode: 1, stdout: '', stderr: 'Something unexpected happened.\r\n' }, 'unknown', null],
    ['an unknown two-line exit-1 text', { exitCode: 1, stdout: '', stderr: 'Fehler beim Abfragen\r\nBitte erneut versuchen\r\n' }, 'unknown', null],
    ['an unknown exit-1 text on stdout', { exitCode: 1, stdout: 'The service is not running.\r\n', stderr: '' }, 'unknown', null],
    ['"No User exists" only inside a longer line', { exitCode: 1, stdout: '', stderr: 'Warning: No User exists for * was expected\r\n' }, 'unknown', null],
    ['"No User exists" beside a table (exit 1)', { exitCode: 1, stdout: quserFixture('003-quser-en.txt'), stderr: 'No User exists for *\r\n' }, 'sessions', null],
  ];
  for (const [name, run, kind, code] of table) {
    it(`${name} → ${kind}`, () => {
      const result = classifyOutput(run);
      assert.equal(result.kind, kind);
      assert.equal(result.win32Code, code);
    });
  }
  it('keeps the first meaningful line as detail', () => {
    assert.equal(classifyOutput({ exitCode: 1, stdout: '', stderr: stderrFixture('058-error-ru.txt') }).detail, 'Ошибка 0x00000005 перечисления сеансов');
  });
  it('does not read error codes out of table cells', () => {
    const stdout = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n [5]                   rdp-tcp#1           2  Active          .  24.11.2026 09:00\r\n';
    assert.equal(classifyOutput({ exitCode: 0, stdout, stderr: '' }).kind, 'sessions');
  });
});
