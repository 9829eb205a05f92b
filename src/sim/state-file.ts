import { readFile, rename, writeFile } from 'node:fs/promises';
import { withFarmLock } from './farm-lock.js';
import type { Farm } from './farm.js';
import { parseFarm } from './farm.js';
import { createFarmState, type FarmState } from './state.js';

// The same lock as the PATH test doubles (test/doubles/lib/run-double.js): withFarmLock.
// Every call is logged in the state; a file keeps the latest ones only, or a long rehearsal would rewrite
// megabytes per call.
const KEPT_CALLS = 500;

/** A farm state kept in a file, shared by processes (CLI runs, test doubles, a maintenance command restarting a host). */
export interface FarmStore {
  /** Locks the file, loads the state, runs `fn` on it, saves it (temp file + rename), unlocks. */
  transact<T>(fn: (state: FarmState) => T): Promise<T>;
}

/** A state file, or a plain farm description (no `startedAt`) that becomes state on first use. */
export function toFarmState(json: unknown, now: number): FarmState {
  const o = json as Partial<FarmState>;
  return typeof o.startedAt === 'number' && Array.isArray(o.calls) ? (json as FarmState) : createFarmState(parseFarm(json), now);
}

/**
 * A FarmStore on `file`: created from `farm` when the file does not exist yet (null: it must exist), read from it otherwise, so
 * the farm's state (logons blocked, users logged off, hosts restarting) persists between CLI runs.
 * @example const store = createFarmStateFile('farm-state.json', await loadFarmFile('examples/farm.json'));
 */
export function createFarmStateFile(file: string, farm: Farm | null, now: () => number = Date.now): FarmStore {
  let chain: Promise<unknown> = Promise.resolve();
  const load = async (): Promise<FarmState> => {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text !== null) return toFarmState(JSON.parse(text), now());
    if (farm === null) throw new Error(`no farm state file ${file}`);
    return createFarmState(farm, now());
  };
  return {
    transact<T>(fn: (state: FarmState) => T): Promise<T> {
      // Serialised in this process too: the lock folder only keeps other processes out.
      const next = chain.then(() =>
        withFarmLock(file, async () => {
          const state = await load();
          const result = fn(state);
          if (state.calls.length > KEPT_CALLS) state.calls.splice(0, state.calls.length - KEPT_CALLS);
          const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
          await writeFile(tmp, JSON.stringify(state));
          await rename(tmp, file);
          return result;
        }),
      );
      chain = next.catch(() => undefined);
      return next;
    },
  };
}
