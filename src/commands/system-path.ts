import path from 'node:path';

/** What program resolution depends on; tests pass it explicitly, real callers pass process values. */
export interface SystemContext {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** process.arch; only `ia32` can be redirected by WOW64. */
  arch?: string;
}

/** The Windows tools we call; elsewhere these bare names are looked up on PATH (test doubles, WSL). */
export type SystemProgram = 'quser' | 'qwinsta' | 'logoff' | 'msg' | 'change' | 'reg';

export function defaultSystemContext(): SystemContext {
  return { platform: process.platform, env: process.env, arch: process.arch };
}

// Windows environment names are case-insensitive, but a plain env object passed in by a caller is not.
function getEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

/**
 * On Windows the absolute `%SystemRoot%\System32\<name>.exe`, never a PATH lookup (a planted quser.exe in
 * the working directory or on PATH must not run). A 32-bit process on 64-bit Windows sees a redirected
 * System32 without quser/qwinsta/msg, so it must use `Sysnative`; PROCESSOR_ARCHITEW6432 is set only there.
 * Elsewhere the bare name, found on PATH.
 * @example resolveSystemProgram('quser', { platform: 'win32', env: { SystemRoot: 'C:\\Windows' } }) // 'C:\\Windows\\System32\\quser.exe'
 */
export function resolveSystemProgram(name: SystemProgram, context: SystemContext = defaultSystemContext()): string {
  if (context.platform !== 'win32') return name;
  const root = getEnv(context.env, 'SystemRoot') ?? getEnv(context.env, 'windir') ?? 'C:\\Windows';
  const wow64 = getEnv(context.env, 'PROCESSOR_ARCHITEW6432') !== undefined && (context.arch === undefined || context.arch === 'ia32');
  return path.win32.join(root, wow64 ? 'Sysnative' : 'System32', `${name}.exe`);
}
