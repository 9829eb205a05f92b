import sinon from 'sinon';

// The real macrotask, kept before any test fakes the timers: a way to let real I/O progress while faked.
const realSetImmediate = globalThis.setImmediate;

/** Timers and clocks the code under test reads; never nextTick or queueMicrotask (promises and streams need them). */
const FAKED = ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date', 'performance', 'hrtime'] as const;

export interface VirtualTime {
  clock: sinon.SinonFakeTimers;
  /** Virtual milliseconds since install. */
  elapsed(): number;
  /**
   * Resolves with `work`'s outcome, advancing virtual time timer by timer until it settles. A machine's load
   * cannot change what happens in virtual time: every timer fires in due order, and no call takes longer
   * than its own latency.
   */
  run<T>(work: Promise<T>): Promise<T>;
  restore(): void;
}

/**
 * Fakes the clocks and timers (sinon) so a test can reason about time without a wall clock.
 * @example
 * const time = useVirtualTime();
 * try { const report = await time.run(drain({ ... })); assert.ok(time.elapsed() <= bound); } finally { time.restore(); }
 */
export function useVirtualTime(start = Date.parse('2026-11-25T14:00:00')): VirtualTime {
  const clock = sinon.useFakeTimers({ now: start, toFake: [...FAKED] });
  return {
    clock,
    elapsed: () => clock.now - start,
    async run<T>(work: Promise<T>): Promise<T> {
      let settled = false;
      const watched = work.finally(() => {
        settled = true;
      });
      watched.catch(() => undefined);
      let idle = 0;
      while (!settled) {
        if (clock.countTimers() > 0) {
          idle = 0;
          await clock.nextAsync();
          continue;
        }
        // Nothing scheduled in virtual time: let real I/O (if any) go on; a promise nothing will settle is a bug.
        await new Promise((resolve) => realSetImmediate(resolve));
        if (++idle > 1000) throw new Error('virtual time: the work is pending with no timer left to fire');
      }
      return watched;
    },
    restore: () => clock.restore(),
  };
}
