import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// A lock whose owner is alive is never taken from it, however long it holds it: on a loaded machine a live
// holder can take many seconds, and an age rule (10 s before) let a second process in, so two doubles
// wrote the farm state at once and one logoff was lost. Age only decides when no owner was recorded
// (a process killed between mkdir and writing its pid).
const OWNERLESS_STALE_MS = 10_000;
// Waiting is bounded by the caller (a test's timeout, the transport's per-call timeout); this only stops a
// process from spinning for ever when the file system misbehaves.
const GIVE_UP_MS = 300_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lock: string): Promise<boolean> {
  const owner = await readFile(`${lock}/owner`, 'utf8').catch(() => null);
  const pid = owner === null ? NaN : Number(owner);
  if (Number.isInteger(pid) && pid > 0) return !isAlive(pid);
  const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
  return age > OWNERLESS_STALE_MS;
}

/**
 * Runs `fn` holding `<file>.lock` (a folder: mkdir is atomic on every file system we meet), shared by every
 * process that reads and writes one farm state file: the PATH test doubles, CLI runs with a farm state, a
 * maintenance command restarting a host. A lock left by a dead process is broken; a live one is waited for.
 * @example await withFarmLock('farm-state.json', async () => mutate());
 */
export async function withFarmLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(`${lock}/owner`, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(lock)) {
        // Moved aside before removal, so two waiters that both saw it stale cannot remove each other's new lock.
        const aside = `${lock}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
        if (await rename(lock, aside).then(() => true, () => false)) await rm(aside, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > GIVE_UP_MS) throw new Error(`farm state lock ${lock} is held too long`);
      await sleep(2 + Math.random() * 8);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
