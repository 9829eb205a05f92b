import type { ProgressEvent } from './types.js';

export interface PoolOptions {
  concurrency: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ProgressEvent) => void) | undefined;
}

export type PoolOutcome<T> = { started: true; value: T } | { started: false };

/**
 * Runs `worker` over every item with at most `concurrency` in flight, in input order of start. After the
 * signal aborts nothing new starts; workers already running get the signal themselves and must settle.
 * The worker should not reject (it reports its own failures); `failed(value)` feeds the progress count.
 * Resolves with one outcome per item, in input order, and settles only when every lane has stopped: a lane
 * that rejects (a worker or onProgress throwing) stops new starts, and its error is thrown once the others
 * are done, so no work is left running behind a settled call.
 */
export async function runPool<I, T>(
  items: readonly I[],
  worker: (item: I, index: number) => Promise<T>,
  failed: (value: T) => boolean,
  options: PoolOptions,
): Promise<PoolOutcome<T>[]> {
  const outcomes: PoolOutcome<T>[] = items.map(() => ({ started: false }));
  const total = items.length;
  let next = 0;
  let done = 0;
  let failures = 0;
  const limit = Math.max(1, Math.min(options.concurrency, total));

  let broken = false;
  async function lane(): Promise<void> {
    while (next < total && !options.signal?.aborted && !broken) {
      const index = next++;
      const value = await worker(items[index] as I, index);
      outcomes[index] = { started: true, value };
      done++;
      if (failed(value)) failures++;
      options.onProgress?.({ done, total, failed: failures });
    }
  }

  const lanes = await Promise.allSettled(
    Array.from({ length: limit }, () =>
      lane().catch((error: unknown) => {
        broken = true;
        throw error;
      }),
    ),
  );
  const rejected = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (rejected) throw rejected.reason;
  return outcomes;
}
