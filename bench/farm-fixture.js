// A farm of test doubles for benchmarks: the state file the PATH doubles in test/doubles/bin share, and the
// environment that puts them first on PATH (the JS twin of test/helpers/farm.ts, for the built dist/).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFarm } from '../dist/sim/farm.js';
import { createFarmState } from '../dist/sim/state.js';

export const DOUBLES = fileURLToPath(new URL('../test/doubles/bin', import.meta.url));

export async function createFarmFixture(farm) {
  const dir = await mkdtemp(join(tmpdir(), 'sl-bench-'));
  const file = join(dir, 'farm-state.json');
  await writeFile(file, JSON.stringify(createFarmState(parseFarm(farm), Date.now())));
  const env = { ...process.env, PATH: `${DOUBLES}${delimiter}${process.env.PATH ?? ''}`, SESSION_LOGOFF_FARM: file };
  return { dir, env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
