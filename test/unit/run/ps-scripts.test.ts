import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cleanStderr, decodeEnvelope, encodePayload, psScriptPath, quotePsLiteral } from '../../../src/run/ps-scripts.js';
import { requirePwsh } from '../../helpers/pwsh.js';

const HOSTILE = ["it's", '$(whoami)', '`whoami`', 'a’b', 'a‘b', 'a‚b', 'a‛b', "''", "'; Remove-Item x; '", '"$env:PATH"', '@(1)', '-x', '/x', 'a;b|c', 'ü ß 中文', "’; whoami; ‘"];

describe('ps-scripts', () => {
  it('psScriptPath points at the shipped script', () => {
    const file = psScriptPath('SessionLogoff.ps1');
    assert.ok(existsSync(file), file);
    assert.match(file, /[\\/]ps[\\/]SessionLogoff\.ps1$/u);
  });

  const table: Array<[string, string]> = [
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['a’b', "'a’’b'"],
    ['a‘b', "'a‘‘b'"],
    ['a‚b', "'a‚‚b'"],
    ['a‛b', "'a‛‛b'"],
    ['$(x) `y`', "'$(x) `y`'"],
    ['', "''"],
  ];
  for (const [input, expected] of table) it(`quotePsLiteral(${JSON.stringify(input)})`, () => assert.equal(quotePsLiteral(input), expected));

  it('encodePayload is base64 of UTF-8 JSON with no quote, $ or backtick', () => {
    const encoded = encodePayload({ text: "$(x) ' ’ `" });
    assert.match(encoded, /^[A-Za-z0-9+/]*={0,2}$/u);
    assert.deepEqual(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')), { text: "$(x) ' ’ `" });
  });

  it('decodeEnvelope reads one base64 envelope and checks every field', () => {
    const reply = { exitCode: 1, stdout: 'ü', stderr: 'e', spawnError: null, error: null, data: { pid: 3 } };
    assert.deepEqual(decodeEnvelope(encodePayload(reply)), reply);
    assert.deepEqual(decodeEnvelope(encodePayload({ exitCode: 'x', stdout: 5 })), { exitCode: null, stdout: '', stderr: '', spawnError: null, error: null, data: null });
    assert.equal(decodeEnvelope(''), null);
    assert.equal(decodeEnvelope('not base64 at all!'), null);
    assert.equal(decodeEnvelope(`\u001b[?1h${encodePayload(reply)}`), null);
    assert.equal(decodeEnvelope(encodePayload(42)), null);
  });

  it('cleanStderr drops CLIXML wrapping', () => {
    assert.equal(cleanStderr('#< CLIXML\n<Objs><S S="Error">boom</S></Objs>'), 'boom');
  });

  describe('under real PowerShell', function () {
    this.timeout(60_000);
    let pwsh = '';
    before(function () {
      pwsh = requirePwsh(this);
    });

    it('every quoted literal evaluates to exactly its content', () => {
      const script = HOSTILE.map((value) => `'B64:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(${quotePsLiteral(value)}))`).join('\n');
      const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '-'], { input: script, encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 0, run.stderr);
      // pwsh reading commands from stdin may sprinkle terminal mode escapes into stdout; the marker finds our lines.
      const lines = [...run.stdout.matchAll(/B64:([A-Za-z0-9+/]*={0,2})/gu)].map((match) => match[1] ?? '');
      assert.deepEqual(lines.map((line) => Buffer.from(line, 'base64').toString('utf8')), HOSTILE);
    });
  });
});
