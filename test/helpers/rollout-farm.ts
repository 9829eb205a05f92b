/*
 * An in-process simulated farm for rollout tests: the farm engine of `--transport simulated` behind the exec
 * transport, as createTransport('simulated') builds it, but with the runner at hand so a test can restart
 * hosts (rebootHost) and read the ground truth (logons, sessions, messages) at any moment.
 */
import { createExecTransport } from '../../src/run/exec-transport.js';
import type { Transport } from '../../src/run/transport.js';
import { parseFarm } from '../../src/sim/farm.js';
import { createSimulatedRunner, type SimulatedRunner } from '../../src/sim/simulated-runner.js';
import type { FarmState } from '../../src/sim/state.js';

export interface RolloutFarm {
  transport: Transport;
  runner: SimulatedRunner;
  state(): FarmState;
}

export function createRolloutFarm(farm: object): RolloutFarm {
  const parsed = parseFarm(farm);
  // Read the clock at each call: a test may fake it (sinon) after the farm was made.
  const runner = createSimulatedRunner(parsed, { now: () => Date.now() });
  const transport = createExecTransport({ runner, remoteShell: runner.remoteShell, platform: 'linux', env: {}, name: 'simulated', localNames: [parsed.localHost] });
  return { transport, runner, state: () => runner.state() };
}

/** `count` hosts named rds01… with the given host fields (a function of the index for variety). */
export function farmOf(count: number, host: (i: number) => object = () => ({ sessions: [] })): { localHost: string; hosts: Record<string, object> } {
  const hosts: Record<string, object> = {};
  for (let i = 1; i <= count; i++) hosts[`rds${String(i).padStart(2, '0')}`] = { latencyMs: 20, ...host(i) };
  return { localHost: 'admin01', hosts };
}
