import type { Farm, SimHost, SimMessage, SimSession } from './farm.js';
import { DEFAULT_SHORT_DATE } from './farm.js';
import { reachesLocalHost } from './local-names.js';

/** One recorded invocation, argv exactly as received (hostile-value tests read it). */
export interface SimCall {
  program: string;
  args: string[];
  stdin?: string;
}

export interface SimHostState extends SimHost {
  messages: SimMessage[];
  /** Calls this host has answered or refused so far (drives transientFailures / faultAfterCalls). */
  calls: number;
  /** Epoch ms until which the host is restarting (unreachable); see reboot.ts. */
  rebootingUntil?: number;
  /** How many times it was restarted (rehearsals and tests count maintenances by it). */
  reboots?: number;
}

/** The mutable farm the engine works on; JSON-serialisable so test doubles can share it through a file. */
export interface FarmState {
  localHost: string;
  /** The local host's other names and addresses (Farm.localNames); absent in older state files. */
  localNames?: string[];
  callerShortDate: string;
  callerShortTime: string;
  callerSessionId: number | null;
  startedAt: number;
  hosts: Record<string, SimHostState>;
  calls: SimCall[];
}

/**
 * Turns a validated farm into fresh state; relative self-logoff times become absolute epochs.
 * @example const state = createFarmState(parseFarm(json), Date.now())
 */
export function createFarmState(farm: Farm, now: number): FarmState {
  const hosts: Record<string, SimHostState> = {};
  for (const [name, host] of Object.entries(farm.hosts)) {
    const sessions = host.sessions.map((s): SimSession => {
      const copy = { ...s };
      if (s.logsOffAfterMs !== undefined && s.logsOffAt === undefined) copy.logsOffAt = now + s.logsOffAfterMs;
      return copy;
    });
    hosts[name] = { ...host, sessions, messages: [...(host.messages ?? [])], calls: 0 };
  }
  const date = farm.callerShortDate ?? DEFAULT_SHORT_DATE;
  return {
    localHost: farm.localHost,
    localNames: [...(farm.localNames ?? [])],
    callerShortDate: date,
    callerShortTime: farm.callerShortTime ?? (date === DEFAULT_SHORT_DATE ? 'h:mm tt' : 'H:mm'),
    callerSessionId: farm.callerSessionId ?? null,
    startedAt: now,
    hosts,
    calls: [],
  };
}

/**
 * True when `server` (null = no /server:) names the machine the command runs on: its name, its localNames,
 * or any loopback name or address, by the rule the tool itself applies (run/local-host.ts).
 */
export function isLocal(state: FarmState, server: string | null): boolean {
  return reachesLocalHost(state, server);
}

// Lower-cased name → farm key, so 1,000-host runs do not scan every host per call. Kept outside the
// state so the state stays plain JSON for the test doubles.
const indexes = new WeakMap<Record<string, SimHostState>, Map<string, string>>();

function hostIndex(hosts: Record<string, SimHostState>, rebuild: boolean): Map<string, string> {
  let index = indexes.get(hosts);
  if (index === undefined || rebuild) {
    index = new Map(Object.keys(hosts).map((name) => [name.toLowerCase(), name]));
    indexes.set(hosts, index);
  }
  return index;
}

/** Host names match case-insensitively, as NetBIOS and DNS names do. */
export function findHost(state: FarmState, server: string | null): { name: string; host: SimHostState } | null {
  const wanted = isLocal(state, server) ? state.localHost.toLowerCase() : (server ?? '').toLowerCase();
  // A miss rebuilds the index once, in case hosts were added after it was built; hits stay O(1).
  let name = hostIndex(state.hosts, false).get(wanted);
  if (name === undefined || state.hosts[name] === undefined) name = hostIndex(state.hosts, true).get(wanted);
  const host = name === undefined ? undefined : state.hosts[name];
  return name !== undefined && host !== undefined ? { name, host } : null;
}

/** Removes sessions whose users have logged off by themselves by `now`. Returns true if any left. */
export function expireSessions(host: SimHostState, now: number): boolean {
  const before = host.sessions.length;
  host.sessions = host.sessions.filter((s) => s.logsOffAt === undefined || s.logsOffAt > now);
  return host.sessions.length !== before;
}
