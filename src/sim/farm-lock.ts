import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// A lock whose owner is alive is never taken from it, however long it holds it: on a loaded machine a live
// holder can take many seconds, and an age rule (10 s before) let a second process in, so two doubles
// wrote the farm state at once and a logoff was lost.
// A dead owner's lock is broken only once it is this old: a holder that released its lock and exited a
// moment ago has a dead pid too, and the folder now at the path may already be a new holder's.
const DEAD_OWNER_GRACE_MS = 1_000;
// No owner recorded (a process killed between mkdir and writing its pid).
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

interface LockIdentity {
  ino: number;
  dev: number;
}

const sameLock = (a: LockIdentity | null, b: LockIdentity | null): boolean => a !== null && b !== null && a.ino === b.ino && a.dev === b.dev;

async function identity(path: string): Promise<(LockIdentity & { ageMs: number }) | null> {
  return stat(path).then((s) => ({ ino: s.ino, dev: s.dev, ageMs: Date.now() - s.mtimeMs }), () => null);
}

/** The lock folder's identity when it is stale, else null. */
async function staleLock(lock: string): Promise<LockIdentity | null> {
  const before = await identity(lock);
  if (before === null) return null;
  const owner = await readFile(`${lock}/owner`, 'utf8').catch(() => null);
  const pid = owner === null ? NaN : Number(owner);
  const stale = Number.isInteger(pid) && pid > 0 ? !isAlive(pid) && before.ageMs > DEAD_OWNER_GRACE_MS : before.ageMs > OWNERLESS_STALE_MS;
  // The owner was read from whatever folder is there now; it must still be the folder we judged.
  return stale && sameLock(before, await identity(lock)) ? before : null;
}

/** Moves the lock aside and removes it, but only if it is still `expected`; a live lock taken by mistake is put back. */
async function removeIf(lock: string, expected: LockIdentity): Promise<void> {
  const aside = `${lock}.gone.${process.pid}.${Math.random().toString(36).slice(2)}`;
  if (!(await rename(lock, aside).then(() => true, () => false))) return;
  if (sameLock(expected, await identity(aside))) {
    await rm(aside, { recursive: true, force: true });
    return;
  }
  // Between our check and the rename the folder changed hands: give it back to its holder.
  await rename(aside, lock).catch(() => rm(aside, { recursive: true, force: true }));
}

/**
 * Runs `fn` holding `<file>.lock` (a folder: mkdir is atomic on every file system we meet), shared by every
 * process that reads and writes one farm state file: the PATH test doubles, CLI runs with a farm state, a
 * maintenance command restarting a host. A lock left by a dead process is broken; a live one is waited for.
 * Each step that removes a lock checks the folder's identity (inode) first, so nobody removes a lock that
 * another process has just taken.
 * @example await withFarmLock('farm-state.json', async () => mutate());
 */
export async function withFarmLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const started = Date.now();
  let mine: LockIdentity | null = null;
  for (;;) {
    try {
      await mkdir(lock);
      mine = await identity(lock);
      await writeFile(`${lock}/owner`, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stale = await staleLock(lock);
      if (stale !== null) {
        await removeIf(lock, stale);
        continue;
      }
      if (Date.now() - started > GIVE_UP_MS) throw new Error(`farm state lock ${lock} is held too long`);
      await sleep(2 + Math.random() * 8);
    }
  }
  try {
    return await fn();
  } finally {
    if (mine !== null) await removeIf(lock, mine);
  }
}
