import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFarm, type Farm } from '../../src/sim/farm.js';
import { createFarmState, type FarmState } from '../../src/sim/state.js';

/** Folder of the fake quser / qwinsta / query / logoff / msg / change / reg programs. */
export const DOUBLES_BIN = fileURLToPath(new URL('../doubles/bin', import.meta.url));

export interface FarmFixture {
  dir: string;
  /** The farm state file the doubles share (SESSION_LOGOFF_FARM). */
  file: string;
  /** process.env with the doubles first on PATH and SESSION_LOGOFF_FARM set: pass to execa / pwsh. */
  env: NodeJS.ProcessEnv;
  readState(): Promise<FarmState>;
  cleanup(): Promise<void>;
}

/**
 * Writes a farm's state to a temp folder for the PATH test doubles (run `npm run build` first: they use dist/).
 * @example
 * const fx = await createFarmFixture({ localHost: 'admin01', hosts: { rds1: { sessions: [] } } });
 * await execa('quser', ['/server:rds1'], { env: fx.env, reject: false });
 * await fx.cleanup();
 */
export async function createFarmFixture(farm: Farm | object, options: { now?: number } = {}): Promise<FarmFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'session-logoff-farm-'));
  const file = join(dir, 'farm-state.json');
  await writeFile(file, JSON.stringify(createFarmState(parseFarm(farm), options.now ?? Date.now())));
  // Windows keeps the variable as `Path`; set whichever spelling exists so the doubles really come first.
  const pathKey = Object.keys(process.env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [pathKey]: `${DOUBLES_BIN}${delimiter}${process.env[pathKey] ?? ''}`,
    SESSION_LOGOFF_FARM: file,
  };
  return {
    dir,
    file,
    env,
    readState: async () => JSON.parse(await readFile(file, 'utf8')) as FarmState,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Processes (not this one) started for this fixture: its state file in their environment or its folder on
 * their command line. Linux only (/proc). Zombies have exited and are not counted.
 * @example assert.deepEqual(processesOf(fx), [], 'nothing left running');
 */
export function processesOf(fx: FarmFixture): string[] {
  const marker = `SESSION_LOGOFF_FARM=${fx.file}`;
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/u.test(p) && Number(p) !== process.pid)) {
    try {
      // A zombie (state Z, after the command name in parentheses) has exited: nothing left running.
      if (/\)\s+Z\s/u.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(marker) || cmdline.includes(fx.dir)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}
