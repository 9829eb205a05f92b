import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

/**
 * Killing pwsh does not kill a hung quser it started; kill the whole tree so the orphan cannot hold pipes open.
 * Linux: /proc task children. Windows: taskkill /T. Elsewhere (macOS) only pwsh itself is killed.
 */
export async function killTree(pid: number | null, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Promise<void> {
  if (pid === null) return;
  if (platform === 'win32') {
    const taskkill = path.win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'taskkill.exe');
    await execa(taskkill, ['/PID', String(pid), '/T', '/F'], { reject: false, windowsHide: true, timeout: 10_000 });
    return;
  }
  if (platform !== 'linux') return;
  const descendants = (parent: number): number[] => {
    try {
      return readdirSync(`/proc/${parent}/task`).flatMap((task) =>
        readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').split(/\s+/u).filter(Boolean).map(Number),
      ).flatMap((child) => [child, ...descendants(child)]);
    } catch {
      return [];
    }
  };
  for (const child of descendants(pid)) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
