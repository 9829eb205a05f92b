import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import sinon from 'sinon';
import { PromptInterruptedError } from '../../src/cli/confirm.js';
import { main } from '../../src/cli/main.js';
import { handleStopSignals, InterruptedError, interruptedText, type SignalProcess, type StopSignal } from '../../src/cli/stop-signals.js';
import { fakeDeps, planOn } from './fake-deps.js';

function abortedBy(signal?: StopSignal): AbortSignal {
  const controller = new AbortController();
  controller.abort(signal ? new InterruptedError(signal) : undefined);
  return controller.signal;
}

const INTERRUPTED_DRAIN = {
  hosts: [{ host: 'rds01', status: 'interrupted', reason: 'the run was interrupted', sessionsLeft: [] }],
  actions: [{ host: 'rds01', sessionId: null, username: null, action: 'block-logons', status: 'done', reason: 'mode drain' }],
  errors: [],
  interrupted: true,
};

describe('CLI: the signal that stopped a run sets its exit code', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130], [undefined, 130]] as const) {
    it(`${signal ?? 'an abort without a signal'}: exit ${code}, partial report and blocked-logons hint`, async () => {
      const f = fakeDeps({ signal: abortedBy(signal) });
      f.api.drain.resolves(INTERRUPTED_DRAIN);
      assert.equal(await main(['drain', '-s', 'rds01', '--yes', '--json'], f.deps), code);
      assert.equal(JSON.parse(f.stdout()).interrupted, true);
      assert.match(f.stderr(), /logons enable -s rds01 --yes/);
      sinon.assert.calledOnce(f.transport.dispose);
    });
  }

  it('at the confirmation prompt: "interrupted by SIGHUP: nothing done", exit 129, nothing runs', async () => {
    const f = fakeDeps({ tty: true, signal: abortedBy('SIGHUP') });
    planOn(f.api.drain, ['rds01']);
    f.confirm.rejects(new PromptInterruptedError('interrupted at the confirmation prompt'));
    assert.equal(await main(['drain', '-s', 'rds01'], f.deps), 129);
    // The plan's progress line (a terminal) is drawn and erased first.
    assert.equal(f.stderr().replace(/\r\u001b\[K[^\r\n]*/g, ''), '\nsession-logoff: interrupted by SIGHUP: nothing done.\n');
    assert.ok(f.api.drain.getCalls().every((c) => c.args[0].dryRun === true), 'nothing but the plan ran');
  });

  it('interruptedText names the signal when one is known', () => {
    assert.equal(interruptedText(abortedBy('SIGTERM')), 'interrupted by SIGTERM');
    assert.equal(interruptedText(abortedBy()), 'interrupted');
    assert.equal(interruptedText(undefined), 'interrupted');
  });
});

describe('handleStopSignals', () => {
  function fakeProcess(platform: NodeJS.Platform = 'linux') {
    const emitter = new EventEmitter();
    const stderr = { text: '', write: (s: string) => (stderr.text += s), on: sinon.stub() };
    const proc = {
      pid: 4242,
      platform,
      on: (event: StopSignal, listener: () => void) => emitter.on(event, listener),
      removeAllListeners: sinon.spy((event: StopSignal) => emitter.removeAllListeners(event)),
      kill: sinon.stub(),
      exit: sinon.stub() as unknown as SignalProcess['exit'] & sinon.SinonStub,
      stdout: { on: sinon.stub() },
      stderr,
    };
    return { proc, emitter };
  }

  it('first signal: aborts with the signal as reason, says so once, and tolerates closed output', () => {
    const { proc, emitter } = fakeProcess();
    const controller = new AbortController();
    handleStopSignals(proc, controller);
    emitter.emit('SIGTERM');
    assert.equal(controller.signal.aborted, true);
    assert.ok(controller.signal.reason instanceof InterruptedError);
    assert.equal(controller.signal.reason.signal, 'SIGTERM');
    assert.equal(controller.signal.reason.code, 'ERR_INTERRUPTED');
    assert.match(proc.stderr.text, /interrupted by SIGTERM: .*\(SIGTERM again to quit now\)/);
    sinon.assert.calledWith(proc.stdout.on, 'error');
    sinon.assert.calledWith(proc.stderr.on, 'error');
    sinon.assert.notCalled(proc.kill);
    sinon.assert.notCalled(proc.exit);
  });

  it('second signal: kills the children, then ends by that signal (its code if it survives)', async () => {
    const { proc, emitter } = fakeProcess();
    const beforeExit = sinon.stub().resolves();
    handleStopSignals(proc, new AbortController(), beforeExit);
    emitter.emit('SIGINT');
    emitter.emit('SIGHUP');
    await new Promise((resolve) => setImmediate(resolve));
    sinon.assert.calledOnce(beforeExit);
    sinon.assert.calledOnceWithExactly(proc.removeAllListeners, 'SIGHUP');
    sinon.assert.calledOnceWithExactly(proc.kill, 4242, 'SIGHUP');
    sinon.assert.calledOnceWithExactly(proc.exit, 129);
    sinon.assert.callOrder(beforeExit, proc.kill, proc.exit);
  });

  it('second signal on Windows: exits with the code (no POSIX signal to raise); a failed kill of the children does not keep it alive', async () => {
    const { proc, emitter } = fakeProcess('win32');
    handleStopSignals(proc, new AbortController(), sinon.stub().rejects(new Error('taskkill failed')));
    emitter.emit('SIGTERM');
    emitter.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    sinon.assert.notCalled(proc.kill);
    sinon.assert.calledOnceWithExactly(proc.exit, 143);
  });
});
