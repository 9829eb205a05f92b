import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where scripts/setup-wtsapi32.sh (npm pretest) builds the native wtsapi32 double. */
export const WTS_DOUBLE_DIR = fileURLToPath(new URL('../../.tools/wtsapi32', import.meta.url));
export const WTS_DOUBLE = `${WTS_DOUBLE_DIR}/libwtsapi32.so`;

/**
 * `env` plus what makes pwsh's DllImport("wtsapi32") find the double: LD_LIBRARY_PATH (read by the dynamic
 * loader when pwsh starts), and the node that runs its farm bridge.
 * @example const env = wtsEnv(fx.env)
 */
export function wtsEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const inherited = env['LD_LIBRARY_PATH'];
  return { ...env, LD_LIBRARY_PATH: inherited ? `${WTS_DOUBLE_DIR}:${inherited}` : WTS_DOUBLE_DIR, SESSION_LOGOFF_NODE: process.execPath };
}

/** `env` without the double on the library path: pwsh then finds no wtsapi32 at all. */
export function withoutWts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LD_LIBRARY_PATH: _dropped, ...rest } = env;
  return rest;
}

/**
 * For a describe() that needs the double: skips off Linux (Windows has the real library; nothing else loads a .so
 * by that name), and when it was not built; under CI a missing build is a failure.
 * @example before(function () { requireWtsDouble(this) })
 */
export function requireWtsDouble(context: Mocha.Context): void {
  if (process.platform !== 'linux') {
    console.warn('      skipped: the wtsapi32 double is a Linux shared library');
    context.skip();
  }
  if (existsSync(WTS_DOUBLE)) return;
  const reason = `${WTS_DOUBLE} is missing: run \`npm run setup:wtsapi32\` (needs a C compiler, cc)`;
  if (process.env.CI) throw new Error(`${reason} (required when CI is set)`);
  console.warn(`      skipped: ${reason}`);
  context.skip();
}
