import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { RunContext } from '../../../src/core/context.js';
import { withDeadline, type BoundedCallOptions } from '../../../src/core/deadline.js';

function context(timeoutMs: number, startLimitMs?: number): RunContext {
  return { timeoutMs, signal: undefined, transport: startLimitMs === undefined ? {} : { startLimitMs } } as unknown as RunContext;
}

/** A transport call that never settles by itself (it ignores its own timeout), and exposes onStarted. */
function neverSettles(): { fn: (options: BoundedCallOptions) => Promise<string>; started: () => void } {
  let onStarted: () => void = () => undefined;
  return {
    fn: (options) => {
      onStarted = options.onStarted;
      return new Promise<string>(() => undefined);
    },
    started: () => onStarted(),
  };
}

describe('withDeadline: the backstop for transports that miss their own timeout', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  const outcome = (promise: Promise<string>): { value: string | undefined } => {
    const box: { value: string | undefined } = { value: undefined };
    void promise.then((value) => (box.value = value));
    return box;
  };

  it('gives up at timeout + 2 s when the call starts at once', async () => {
    const call = neverSettles();
    const result = outcome(withDeadline(context(5_000), call.fn, (timedOut) => (timedOut ? 'timeout' : 'abort')));
    await clock.tickAsync(6_999);
    assert.equal(result.value, undefined);
    await clock.tickAsync(1);
    assert.equal(result.value, 'timeout');
  });

  it('allows the transport’s start limit before the call starts, then counts the timeout from the start', async () => {
    const call = neverSettles();
    const result = outcome(withDeadline(context(5_000, 30_000), call.fn, () => 'timeout'));
    await clock.tickAsync(20_000); // a shell starting slowly on a loaded machine
    assert.equal(result.value, undefined);
    call.started();
    await clock.tickAsync(6_999);
    assert.equal(result.value, undefined);
    await clock.tickAsync(1);
    assert.equal(result.value, 'timeout');
  });

  it('a call that never starts gives up after start limit + timeout + 2 s', async () => {
    const call = neverSettles();
    const result = outcome(withDeadline(context(5_000, 30_000), call.fn, () => 'timeout'));
    await clock.tickAsync(36_999);
    assert.equal(result.value, undefined);
    await clock.tickAsync(1);
    assert.equal(result.value, 'timeout');
  });

  for (const timeoutMs of [0, Infinity]) {
    it(`a timeout of ${timeoutMs} means no backstop at all`, async () => {
      const call = neverSettles();
      const result = outcome(withDeadline(context(timeoutMs), call.fn, () => 'timeout'));
      await clock.tickAsync(30 * 24 * 3_600_000);
      assert.equal(result.value, undefined);
    });
  }

  it('a backstop past the 32-bit timer limit never fires early (setTimeout would fire at once)', async () => {
    const call = neverSettles();
    const result = outcome(withDeadline(context(2 ** 31), call.fn, () => 'timeout'));
    await clock.tickAsync(10_000);
    assert.equal(result.value, undefined);
  });
});
