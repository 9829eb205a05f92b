import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withFarmLock } from '../../../src/sim/farm-lock.js';

describe('withFarmLock: the farm state lock shared by the doubles and CLI runs', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-lock-'));
    file = path.join(dir, 'farm-state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('never takes the lock from a live holder, however old its lock is (a loaded machine is slow, not dead)', async () => {
    // Our own pid is alive; the lock folder is made to look a minute old.
    mkdirSync(`${file}.lock`);
    writeFileSync(`${file}.lock/owner`, String(process.pid));
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    let entered = false;
    const waiting = withFarmLock(file, async () => {
      entered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(entered, false);
    rmSync(`${file}.lock`, { recursive: true });
    await waiting;
    assert.equal(entered, true);
  });

  it('breaks the lock of a holder that died (kill -9) and records its own pid while it holds it', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    mkdirSync(`${file}.lock`);
    writeFileSync(`${file}.lock/owner`, String(deadPid));
    const owner = await withFarmLock(file, async () => readFileSync(`${file}.lock/owner`, 'utf8'));
    assert.equal(owner, String(process.pid));
    assert.equal(existsSync(`${file}.lock`), false);
  });

  it('serialises read-modify-write across many callers', async () => {
    writeFileSync(file, '0');
    await Promise.all(Array.from({ length: 20 }, () => withFarmLock(file, async () => {
      const n = Number(readFileSync(file, 'utf8'));
      await new Promise((resolve) => setImmediate(resolve));
      writeFileSync(file, String(n + 1));
    })));
    assert.equal(readFileSync(file, 'utf8'), '20');
  });
});
