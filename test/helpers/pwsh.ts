import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LOCAL_PWSH = fileURLToPath(new URL('../../.tools/bin/pwsh', import.meta.url));

/**
 * The PowerShell to test with: SESSION_LOGOFF_PWSH, else <repo>/.tools/bin/pwsh (written by scripts/setup-pwsh.sh), else null.
 * @example const pwsh = findPwsh()
 */
export function findPwsh(): string | null {
  const candidates = [process.env.SESSION_LOGOFF_PWSH, LOCAL_PWSH].filter((c): c is string => typeof c === 'string' && c !== '');
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.Major'], { encoding: 'utf8', timeout: 30_000 });
    if (probe.status === 0) return candidate;
  }
  return null;
}

/**
 * For a describe() that needs real PowerShell: returns the pwsh path, or skips the suite with a clear reason.
 * Under CI (process.env.CI set) a missing pwsh is a failure, so the ps/ scripts can never go untested silently.
 * @example before(function () { pwsh = requirePwsh(this) })
 */
export function requirePwsh(context: Mocha.Context): string {
  const pwsh = findPwsh();
  if (pwsh !== null) return pwsh;
  const reason = 'PowerShell not found: run `npm run setup:pwsh` (writes .tools/bin/pwsh) or set SESSION_LOGOFF_PWSH';
  if (process.env.CI) throw new Error(`${reason} (required when CI is set)`);
  console.warn(`      skipped: ${reason}`);
  context.skip();
}
