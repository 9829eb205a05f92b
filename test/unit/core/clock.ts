import type { Sleep } from '../../../src/core/index.js';

/** A virtual clock: sleep advances time at once (after a macrotask), so grace periods cost nothing. */
export function fakeClock(start = Date.parse('2026-11-25T14:00:00')): { now: () => Date; sleep: Sleep; slept: number[]; elapsed: () => number } {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => new Date(t),
    slept,
    elapsed: () => t - start,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        slept.push(ms);
        setImmediate(() => {
          if (signal?.aborted) return reject(signal.reason);
          t += ms;
          resolve();
        });
      }),
  };
}
