/*
 * The server runs the programs of query, logoff, message and dateOrder itself, asynchronously (Start-SlNativeProcess), instead of
 * through `& $exe` in a runspace (Invoke-SlNative). Both must give the same envelope byte for byte: same lines,
 * same decoding, same stdin, same exit code. Compared here under real pwsh, on output written to be awkward.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePayload } from '../../../src/run/ps-scripts.js';
import { requirePwsh } from '../../helpers/pwsh.js';

const SCRIPT = fileURLToPath(new URL('../../../ps/SessionLogoff.ps1', import.meta.url));

// CRLF, LF, an empty line, a lone CR, UTF-8 in two scripts, no final newline; stderr lines; exit code 1.
// msg echoes its argv and stdin, so input encoding and the line PowerShell appends are compared too.
const AWKWARD = `#!/usr/bin/env node
const name = require('node:path').basename(process.argv[1]);
let stdin = '';
process.stdin.setEncoding('utf8').on('data', (d) => (stdin += d)).on('end', () => {
  if (name === 'msg') { process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), stdin })); process.exit(0); }
  process.stdout.write(' USERNAME  SESSIONNAME\\r\\n>alice     rdp-tcp#1\\n\\nlone\\rcarriage\\nüser 中文 ñ\\nno newline at the end');
  process.stderr.write('Error [5]:Access is denied.\\nsecond ü\\n');
  process.exit(name === 'quser' ? 1 : 7);
});
`;

// reg as the test "machine" answers the date-order read: CRLF lines, the value between runs of spaces. With
// SL_REG_FAIL set it fails the way reg does for a missing value, so the culture's pattern is the answer.
const REG = `#!/usr/bin/env node
if (process.env.SL_REG_FAIL) { process.stderr.write('ERROR: The system was unable to find the specified registry key or value.\\r\\n'); process.exit(1); }
process.stdout.write('\\r\\nHKEY_CURRENT_USER\\\\Control Panel\\\\International\\r\\n    sShortDate    REG_SZ    dd.MM.yyyy\\r\\n\\r\\n');
`;

describe('PowerShell server: programs run directly give the same envelope as through a runspace (real pwsh)', function () {
  this.timeout(120_000);
  let dir = '';
  let pwsh = '';

  before(function () {
    pwsh = requirePwsh(this);
    dir = mkdtempSync(join(tmpdir(), 'sl-ps-direct-'));
    for (const name of ['quser', 'qwinsta', 'logoff', 'msg']) {
      writeFileSync(join(dir, name), AWKWARD);
      chmodSync(join(dir, name), 0o755);
    }
    writeFileSync(join(dir, 'reg'), REG);
    chmodSync(join(dir, 'reg'), 0o755);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('query, logoff, message and date order: identical envelopes, and the direct path really ran the program', () => {
    const payloads = [
      { fn: 'query', kind: 'quser', server: 'rds01' },
      { fn: 'query', kind: 'query-session', server: '' },
      { fn: 'logoff', sessionId: 3, server: 'rds01' },
      { fn: 'message', sessionId: 2, server: 'rds01', seconds: 30, text: "Wartung um 22:00 — bitte speichern ‘now’ $(whoami)" },
      { fn: 'logoff', sessionId: 0, server: '' },
      { fn: 'dateOrder' },
      { fn: 'dateOrder', regFails: true },
    ].map((payload) => encodePayload(payload));
    // Payloads are base64 (no quote can occur), so they can sit in '…' literals.
    const script = `
$ErrorActionPreference = 'Stop'
. '${SCRIPT.replace(/'/gu, "''")}'
$results = foreach ($payload in @(${payloads.map((p) => `'${p}'`).join(', ')})) {
  $env:SL_REG_FAIL = if (([System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json).PSObject.Properties['regFails']) { '1' } else { $null }
  $viaRunspace = Invoke-SlCommand -Payload $payload
  $planned = & { $SlDeferNative = $true; Invoke-SlRequest -Payload $payload }
  $direct = if ($planned.PSObject.Properties['SlDeferred']) { ConvertTo-SlReply (Complete-SlNativeProcess -Started (Start-SlNativeProcess -Plan $planned)) } else { ConvertTo-SlReply $planned }
  [ordered]@{ runspace = $viaRunspace; direct = $direct; deferred = [bool]$planned.PSObject.Properties['SlDeferred'] }
}
'JSON:' + (ConvertTo-Json -InputObject @($results) -Compress -Depth 4)
`;
    const file = join(dir, 'compare.ps1');
    writeFileSync(file, script);
    const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file], {
      encoding: 'utf8',
      timeout: 100_000,
      env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` },
    });
    assert.equal(run.status, 0, run.stderr);
    const json = /^JSON:(.*)$/mu.exec(run.stdout)?.[1];
    assert.ok(json, run.stdout + run.stderr);
    const results = JSON.parse(json) as { runspace: string; direct: string; deferred: boolean }[];
    const decode = (b64: string): Record<string, unknown> => JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(results.map((r) => r.deferred), [true, true, true, true, false, true, true], 'the refused logoff of session 0 never reaches a program');
    for (const [i, result] of results.entries()) assert.deepEqual(decode(result.direct), decode(result.runspace), `payload ${i}`);
    const query = decode(results[0]!.direct);
    assert.equal(query.exitCode, 1);
    assert.equal(query.stdout, ' USERNAME  SESSIONNAME\n>alice     rdp-tcp#1\n\nlone\ncarriage\nüser 中文 ñ\nno newline at the end\n');
    assert.equal(query.stderr, 'Error [5]:Access is denied.\nsecond ü\n');
    const message = JSON.parse(decode(results[3]!.direct).stdout as string) as { argv: string[]; stdin: string };
    assert.deepEqual(message.argv, ['2', '/server:rds01', '/time:30']);
    assert.equal(message.stdin.replace(/\r?\n$/u, ''), "Wartung um 22:00 — bitte speichern ‘now’ $(whoami)");
    // The date order: reg's value when it answers, else the culture's pattern (not reg's error), on both paths.
    assert.deepEqual(decode(results[5]!.direct), { exitCode: 0, stdout: '', stderr: '', spawnError: null, error: null, data: 'dd.MM.yyyy' });
    const fallback = decode(results[6]!.direct);
    assert.equal(fallback.exitCode, 0);
    assert.ok(typeof fallback.data === 'string' && fallback.data !== 'dd.MM.yyyy' && /[dMy]/u.test(fallback.data), String(fallback.data));
  });
});
