// The simulated farm: one engine behind `--transport simulated`, the fault tests, the benchmarks and the
// PATH test doubles (test/doubles/bin).
export { parseFarm, DEFAULT_SHORT_DATE } from './farm.js';
export type { Farm, SimHost, SimSession, SimMessage, SimFault, SimLanguage, SimLogons, SimState } from './farm.js';
export { loadFarmFile } from './farm-file.js';
export { createFarmState, findHost, isLocal } from './state.js';
export type { FarmState, SimCall, SimHostState } from './state.js';
export { runSimulated, programName } from './engine.js';
export type { SimInvocation, SimOutcome } from './engine.js';
export { createSimulatedRunner } from './simulated-runner.js';
export { rebootHost } from './reboot.js';
export { createFarmStateFile, type FarmStore } from './state-file.js';
export type { SimulatedRunner, SimulatedRunnerOptions } from './simulated-runner.js';
export { renderQuser, renderQuerySession } from './render.js';
export type { RenderOptions } from './render.js';
