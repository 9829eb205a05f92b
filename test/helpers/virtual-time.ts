import sinon from 'sinon';

// The real macrotask and timer, kept before any test fakes them: a way to let real I/O progress while faked.
const realSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;
const realNow = Date.now;
// How long virtual time waits for real work before it moves on anyway (a request that never ends).
const REAL_WORK_LIMIT_MS = 30_000;

/**
 * Real work in flight (a DNS lookup, a file read, a socket write): libuv requests, as Node names them. Handles
 * (stdio, the mocha timer) stay open all along and are not counted.
 */
function realRequests(): number {
  return process.getActiveResourcesInfo().filter((name) => /Req|ConnectWrap|WriteWrap|ShutdownWrap/u.test(name)).length;
}

/** Waits (real time) until no more real requests are in flight than `baseline`; gives up after `limitMs`. */
async function realWorkSettled(baseline: number, limitMs: number): Promise<void> {
  const until = realNow() + limitMs;
  await new Promise((resolve) => realSetImmediate(resolve));
  while (realRequests() > baseline && realNow() < until) await new Promise((resolve) => realSetTimeout(resolve, 1));
}

/** Timers and clocks the code under test reads; never nextTick or queueMicrotask (promises and streams need them). */
const FAKED = ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date', 'performance', 'hrtime'] as const;

export interface VirtualTime {
  clock: sinon.SinonFakeTimers;
  /** Virtual milliseconds since install. */
  elapsed(): number;
  /**
   * Resolves with `work`'s outcome, advancing virtual time timer by timer until it settles. A machine's load
   * cannot change what happens in virtual time: every timer fires in due order, and no call takes longer
   * than its own latency. Virtual time stands still while real work is in flight (a DNS lookup the code makes
   * under a timer, say): advancing then would let a slow machine fire that timer, and any other, too early.
   * (A guard: no test here is known to need it; the core's host-name resolution could.)
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
  const baseline = realRequests();
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
      let idleSince: number | null = null;
      while (!settled) {
        await realWorkSettled(baseline, REAL_WORK_LIMIT_MS);
        if (settled) break;
        if (clock.countTimers() > 0) {
          idleSince = null;
          await clock.nextAsync();
          continue;
        }
        // Nothing scheduled in virtual time: something real (a module loading) may still settle it; if nothing
        // does, the work waits on a promise nobody will resolve, which is a bug to report, not to wait out.
        idleSince ??= realNow();
        if (realNow() - idleSince > REAL_WORK_LIMIT_MS) throw new Error('virtual time: the work is pending with no timer left to fire');
        await new Promise((resolve) => realSetTimeout(resolve, 1));
      }
      return watched;
    },
    restore: () => clock.restore(),
  };
}
