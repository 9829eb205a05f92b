/*
 * A dry run predicts what the real run does. It used to guess the exec transport's limit by name
 * (`transport.name === 'exec' && a server was named`): `drain --dry-run -s localhost` failed the block step
 * that the real run does locally, and `logons enable --dry-run -s rds01` planned what the real run refuses.
 * Both now ask the transport's own decision (assertCanSetLogons), the one its setLogons uses.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { drain, exitCodeFor, logons } from '../../../src/core/index.js';
import { createExecTransport } from '../../../src/run/exec-transport.js';
import type { Runner, RunResult } from '../../../src/run/runner.js';
import type { CommandSpec } from '../../../src/types.js';

function answer(spec: CommandSpec): RunResult {
  const base = { command: [spec.file, ...spec.args].join(' '), stdout: '', stderr: '', timedOut: false, aborted: false, spawnError: null, durationMs: 1 };
  if (spec.file === 'quser') return { ...base, exitCode: 1, stderr: 'No User exists for *\r\n' };
  if (spec.file === 'reg') return { ...base, exitCode: 1, stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };
  return { ...base, exitCode: 0 };
}

function execTransport(): { transport: ReturnType<typeof createExecTransport>; run: sinon.SinonStub } {
  const run = sinon.stub<Parameters<Runner['run']>, ReturnType<Runner['run']>>().callsFake(async (spec) => answer(spec));
  return { transport: createExecTransport({ runner: { run }, platform: 'linux', env: {}, localNames: ['admin01'] }), run };
}

const blockStep = (report: { actions: { action: string; status: string; reason: string | null }[]; errors: { code: string }[] }): string[] => [
  ...report.actions.filter((a) => a.action === 'block-logons' || a.action === 'allow-logons').map((a) => `${a.action} ${a.status === 'planned' ? 'ok' : a.status === 'done' ? 'ok' : a.status}: ${a.status === 'failed' ? a.reason : ''}`),
  ...report.errors.map((e) => e.code),
];

describe('a dry run predicts the real run (exec transport)', () => {
  for (const server of ['localhost', '127.0.0.1', 'admin01', 'rds01']) {
    it(`drain -s ${server}: the dry run's block-logons step matches the real run's`, async () => {
      const dry = await drain({ transport: execTransport().transport, servers: [server], graceMs: 0, dryRun: true });
      const { transport, run } = execTransport();
      const real = await drain({ transport, servers: [server], graceMs: 0 });
      assert.deepEqual(blockStep(dry), blockStep(real));
      assert.equal(exitCodeFor(dry), exitCodeFor(real));
      if (server === 'rds01') assert.equal(real.hosts[0]?.status, 'failed');
      else assert.ok(run.getCalls().some((c) => c.args[0].file === 'change'), 'the real run ran change logon here');
    });
  }

  for (const server of ['localhost', 'rds01']) {
    it(`logons enable -s ${server}: the dry run's answer matches the real run's`, async () => {
      const dry = await logons({ transport: execTransport().transport, servers: [server], mode: 'enable', dryRun: true });
      const real = await logons({ transport: execTransport().transport, servers: [server], mode: 'enable' });
      assert.deepEqual(blockStep(dry), blockStep(real));
      assert.equal(exitCodeFor(dry), exitCodeFor(real));
    });
  }

  it('a dry run never runs change logon', async () => {
    const { transport, run } = execTransport();
    await drain({ transport, servers: ['localhost'], graceMs: 0, dryRun: true });
    await logons({ transport, servers: ['localhost', 'rds01'], mode: 'enable', dryRun: true });
    assert.deepEqual(run.getCalls().filter((c) => c.args[0].file === 'change'), []);
  });
});
