/*
 * `rollout --dry-run` predicts the real run (issue 9): it asks the transport the same question the real run's
 * block-logons step asks (assertCanSetLogons, core/logon-change.ts). With the exec transport and remote hosts
 * the dry run used to plan every wave while the real run failed the canary at block-logons.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { rollout, rolloutExitCode, type RolloutOptions, type RolloutReport } from '../../../../src/core/rollout/index.js';
import { createExecTransport } from '../../../../src/run/exec-transport.js';
import type { Runner, RunResult } from '../../../../src/run/runner.js';
import type { CommandSpec } from '../../../../src/types.js';
import { renderQuerySession, systemSessions } from '../../../helpers/fake-transport.js';

function answer(spec: CommandSpec): RunResult {
  const base = { command: [spec.file, ...spec.args].join(' '), stdout: '', stderr: '', timedOut: false, aborted: false, spawnError: null, durationMs: 1 };
  if (spec.file === 'quser') return { ...base, exitCode: 1, stderr: 'No User exists for *\r\n' };
  // This machine's sessions (the caller's own is looked for on a host that is this machine): nobody's marked.
  if (spec.file === 'qwinsta') return { ...base, exitCode: 0, stdout: renderQuerySession(systemSessions()) };
  // Logons read back as allowed: TSServerDrainMode 0, WinStationsDisabled 0.
  if (spec.file === 'reg') return { ...base, exitCode: 0, stdout: `\r\n    ${spec.args.at(-1) ?? 'x'}    REG_DWORD    0x0\r\n` };
  return { ...base, exitCode: 0 };
}

function execTransport(): { transport: ReturnType<typeof createExecTransport>; run: sinon.SinonStub } {
  const run = sinon.stub<Parameters<Runner['run']>, ReturnType<Runner['run']>>().callsFake(async (spec) => answer(spec));
  return { transport: createExecTransport({ runner: { run }, platform: 'linux', env: {}, localNames: ['admin01'] }), run };
}

/** What a dry run says will happen to each host, in the real run's words: planned in a wave = done. */
const outcome = (report: RolloutReport): string[] =>
  report.hosts.map((h) => `${h.host} ${report.dryRun && h.status === 'pending' && /^wave \d+/u.test(h.reason ?? '') ? 'done' : h.status}`);
const blockStep = (report: RolloutReport): string[] => [
  ...report.actions.filter((a) => a.action === 'block-logons').map((a) => `${a.host} ${a.status === 'planned' || a.status === 'done' ? 'ok' : `${a.status}: ${a.reason}`}`),
  ...report.errors.map((e) => `${e.host} ${e.code}`),
];

describe('core/rollout: a dry run predicts the real run (exec transport)', () => {
  const cases: { name: string; servers: string[]; options: Partial<RolloutOptions> }[] = [
    { name: 'remote hosts: the canary fails at block-logons, no further wave', servers: ['rds01', 'rds02', 'rds03'], options: {} },
    { name: 'this machine first, then remote hosts: more failures than --max-failed stop it', servers: ['admin01', 'rds01', 'rds02', 'rds03'], options: { maxFailed: 1 } },
    { name: 'remote hosts with --block-logons none: every wave runs', servers: ['rds01', 'rds02', 'rds03'], options: { blockLogons: 'none', maxUnavailable: 2 } },
  ];
  for (const { name, servers, options } of cases) {
    it(name, async () => {
      const base = { servers, graceMs: 0, onWarning: () => undefined, maintain: async () => undefined, ...options };
      const dry = await rollout({ transport: execTransport().transport, ...base, dryRun: true });
      const { transport, run } = execTransport();
      const real = await rollout({ transport, ...base });
      assert.deepEqual(dry.waves, real.waves);
      assert.deepEqual(dry.stopped?.reason ?? null, real.stopped?.reason ?? null);
      assert.deepEqual(outcome(dry), outcome(real));
      assert.deepEqual(blockStep(dry), blockStep(real));
      assert.equal(rolloutExitCode(dry), rolloutExitCode(real));
      if (options.blockLogons !== 'none') assert.ok(dry.hosts.some((h) => h.status === 'failed'), 'the case fails a host');
      if (servers[0] === 'admin01') assert.ok(run.getCalls().some((c) => c.args[0].file === 'change'), 'the real run blocked logons here');
    });
  }

  it('a dry run never changes anything: no change logon, no message, no logoff', async () => {
    const { transport, run } = execTransport();
    await rollout({ transport, servers: ['admin01', 'rds01'], graceMs: 0, maxFailed: 5, maintain: async () => assert.fail('maintained'), dryRun: true });
    assert.deepEqual(run.getCalls().map((c) => c.args[0].file).filter((f) => f !== 'quser' && f !== 'qwinsta' && f !== 'reg'), []);
  });
});
