import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { createExecaRunner, encodingForCodePage } from '../../../src/run/execa-runner.js';

const NODE = process.execPath;
const js = (source: string): string[] => ['-e', source];
// How long the programs that must be killed would live by themselves: ending before that proves the kill,
// whatever the machine's load (a fixed 'took < 5 s' could not promise that on a busy machine).
const LIFETIME_MS = 30_000;

describe('createExecaRunner (real processes)', function () {
  this.timeout(15_000);
  const runner = createExecaRunner({ platform: 'linux' });

  it('captures stdout, stderr and a non-zero exit code without throwing', async () => {
    const result = await runner.run({ file: NODE, args: js('process.stdout.write("out\\r\\n"); process.stderr.write("No User exists for *\\r\\n"); process.exit(1)') });
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, 'out\r\n');
    assert.equal(result.stderr, 'No User exists for *\r\n');
    assert.equal(result.timedOut, false);
    assert.equal(result.aborted, false);
    assert.equal(result.spawnError, null);
    assert.ok(result.durationMs >= 0);
  });

  it('passes argv literally (no shell) and the input on stdin, never in the command line', async () => {
    const hostile = ['$(whoami)', '`id`', "a'b", '’', ';', '|', '-x', '/x', '&&', '%PATH%'];
    const text = "$(whoami) `id` ; | -x /x ' ’";
    const result = await runner.run({ file: NODE, args: [...js('let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify({a:process.argv.slice(1),s})))'), ...hostile], input: text });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(JSON.parse(result.stdout), { a: hostile, s: text });
    assert.ok(!result.command.includes('whoami) `id` ;'), 'the message text is not in the display command');
  });

  it('closes stdin when there is no input, so a prompt cannot hang', async () => {
    // A prompt would wait out the timeout; the timeout only keeps it below mocha's, not a speed claim.
    const result = await runner.run({ file: NODE, args: js('process.stdin.resume().on("end",()=>console.log("eof"))') }, { timeoutMs: 12_000 });
    assert.equal(result.stdout.trim(), 'eof');
  });

  it('kills on timeout and reports timedOut with a null exit code', async () => {
    const result = await runner.run({ file: NODE, args: js(`setTimeout(()=>{}, ${LIFETIME_MS})`) }, { timeoutMs: 200 });
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.equal(result.aborted, false);
    assert.ok(result.durationMs < LIFETIME_MS, `ended by the kill, not by itself (${result.durationMs} ms)`);
  });

  it('SIGKILLs a process that ignores SIGTERM after the grace period', async () => {
    const stubborn = createExecaRunner({ platform: 'linux', killGraceMs: 300 });
    const result = await stubborn.run({ file: NODE, args: js(`process.on("SIGTERM",()=>{}); console.log("up"); setTimeout(()=>{}, ${LIFETIME_MS})`) }, { timeoutMs: 300 });
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.ok(result.durationMs < LIFETIME_MS, `ended by the kill, not by itself (${result.durationMs} ms)`);
  });

  it('stops on abort and reports aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const result = await runner.run({ file: NODE, args: js(`setTimeout(()=>{}, ${LIFETIME_MS})`) }, { signal: controller.signal });
    assert.equal(result.aborted, true);
    assert.equal(result.timedOut, false);
    assert.equal(result.exitCode, null);
  });

  it('reports a missing program as spawnError (ENOENT) instead of throwing', async () => {
    const result = await runner.run({ file: 'session-logoff-no-such-program', args: ['/server:x'] });
    assert.match(result.spawnError ?? '', /ENOENT/u);
    assert.equal(result.exitCode, null);
    assert.match(result.command, /^session-logoff-no-such-program '?\/server:x'?$/u);
  });

  it('merges env over process.env', async () => {
    const withEnv = createExecaRunner({ platform: 'linux', env: { SL_TEST_VALUE: 'v1' } });
    const result = await withEnv.run({ file: NODE, args: js('console.log(process.env.SL_TEST_VALUE, typeof process.env.PATH)') });
    assert.equal(result.stdout.trim(), 'v1 string');
  });

  for (const [encoding, text] of [['cp850', 'Benutzer Getr. Abhör. GERÄT'], ['cp866', 'ПОЛЬЗОВАТЕЛЬ СЕАНС Активно']] as const) {
    it(`decodes ${encoding} output and encodes ${encoding} input`, async () => {
      const bytes = [...iconv.encode(text, encoding)];
      const oem = createExecaRunner({ platform: 'linux', encoding });
      const result = await oem.run({
        file: NODE,
        args: js(`const c=[];process.stdin.on("data",d=>c.push(d)).on("end",()=>{process.stdout.write(Buffer.from(${JSON.stringify(bytes)}));process.stderr.write(Buffer.concat(c))})`),
        input: text,
      });
      assert.equal(result.stdout, text);
      assert.equal(result.stderr, text, 'stdin bytes were in the code page, and decode back');
    });
  }

  it('maps code page numbers', () => {
    assert.equal(encodingForCodePage(850), 'cp850');
    assert.equal(encodingForCodePage(65001), 'utf8');
    assert.equal(encodingForCodePage(12345), 'cp437');
  });
});
