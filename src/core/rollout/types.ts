import type { LogonState } from '../../run/transport.js';
import type { ActionRecord, BlockLogonsMode, HostErrorRecord, HostRunOptions } from '../types.js';

/**
 * Where a host stands in its cycle. A host is out of service from `draining` (its first change) until `done`.
 * `pending`: not started. `draining`: logons blocked / users warned / grace / logoff / verify. `drained`:
 * verified empty. `maintaining`: the maintenance started (written BEFORE it starts: after a crash it is not
 * run again unless asked). `waiting-back`: it ended well; waiting for the host to answer. `enabling`: allowing logons.
 */
export type RolloutPhase = 'pending' | 'draining' | 'drained' | 'maintaining' | 'waiting-back' | 'enabling' | 'done';

/** `running` exists only while a run is in flight (a state file left by kill -9 shows it). */
export type RolloutHostStatus = 'done' | 'failed' | 'pending' | 'interrupted' | 'running';

/** What the rollout left of a host's logons: for the operator's undo. */
export type LogonsLeft = 'allowed' | 'blocked' | 'untouched';

/** One host of the plan, as the state file keeps it. Times are ISO strings (the state file is JSON). */
export interface RolloutHostState {
  host: string;
  status: RolloutHostStatus;
  /** The last phase the host reached (for a failed host: the one it failed in). */
  phase: RolloutPhase;
  reason: string | null;
  /** User sessions (any state) at planning: hosts are ordered by it, fewest first. null: unknown. */
  sessions: number | null;
  /** Logon state read at planning. A host already blocked then is out of service and is left as it was. */
  initialLogons: LogonState;
  /** When this rollout blocked its logons (the lease counts from here); null when it did not. */
  blockedAt: string | null;
  /** When the host's grace ends: the latest deadline a warned user was told (a resumed run keeps it). */
  deadline: string | null;
  /**
   * Sessions warned (for --cancel-message on an interrupt), each with the deadline its warning named (a
   * resumed run keeps it; absent in state files of earlier versions: then `deadline`). Saved before the warning.
   */
  warned: { id: number; username: string | null; deadline?: string }[];
  maintenanceStartedAt: string | null;
  /** 1-based wave number, once started. */
  wave: number | null;
  logons: LogonsLeft;
}

/** A notification, one per transition (`--notify-url` POSTs each as JSON). */
export interface RolloutEvent {
  event: 'rollout-started' | 'wave-started' | 'host-drained' | 'host-done' | 'host-failed' | 'rollout-finished' | 'rollout-interrupted';
  time: string;
  host?: string;
  wave?: number;
  reason?: string;
}

export type OnFailure = 'keep' | 'restore';

/** Why no new wave started before every host was done. */
export interface RolloutStop {
  reason: 'canary' | 'max-failed' | 'budget' | 'stop-after' | 'interrupted';
  message: string;
}

export interface RolloutHostReport {
  host: string;
  status: Exclude<RolloutHostStatus, 'running'>;
  phase: RolloutPhase;
  reason: string | null;
  logons: LogonsLeft;
}

/** The JSON report: also printed when interrupted or stopped. */
export interface RolloutReport {
  hosts: RolloutHostReport[];
  /** Waves as started, across resumed runs. */
  waves: string[][];
  actions: ActionRecord[];
  errors: HostErrorRecord[];
  interrupted: boolean;
  stopped: RolloutStop | null;
  /** Hosts whose logons this rollout left blocked (failed with keep, or interrupted): `logons enable` undoes it. */
  logonsBlocked: string[];
  dryRun?: boolean;
}

/** `maintain(host, signal)`: resolve when the maintenance succeeded, reject (any error) when it failed; stop when signal aborts. */
export type Maintain = (host: string, signal: AbortSignal) => Promise<void>;

/**
 * Every wait in ms is 0 to 24 h, as for drain; `maintainTimeoutMs` and `waitBackMs` too.
 */
export interface RolloutOptions extends HostRunOptions {
  maintain: Maintain;
  /** Hosts out of service at once: a count (default 1) or a percentage string like '10%' of the hosts (rounded down, at least 1). */
  maxUnavailable?: number | string;
  /** Hosts that keep accepting logons at every moment. Default 0. */
  minServing?: number;
  /** The first wave is the first n hosts alone, and a failure there stops the rollout. Default 1; 0 = none. */
  canary?: number;
  /** More failed hosts than this stop the rollout (no new wave). Default 0. */
  maxFailed?: number;
  onFailure?: OnFailure;
  blockLogons?: BlockLogonsMode;
  /** Warning text; may use {minutes}, {deadline} and {host}. Default: drain's, naming the deadline. */
  message?: string;
  /** Sent to warned users when the rollout is interrupted during their grace period. */
  cancelMessage?: string;
  graceMs?: number;
  /** Warnings at these times before the deadline, besides the first one (e.g. [600_000, 60_000]). */
  warnAtMs?: readonly number[];
  pollIntervalMs?: number;
  verifyTimeoutMs?: number;
  /** After maintain: how long the host may take to answer a query again. Default 30 min. */
  waitBackMs?: number;
  /** maintain's signal aborts after this; default 1 h. */
  maintainTimeoutMs?: number;
  /** Stop starting new waves this long after the run started; the state is saved. */
  stopAfterMs?: number;
  /** Writes the plan and every host's phase to this file (temp file + rename), before and after each change. */
  stateFile?: string;
  /** Continue the rollout saved in this file (its plan and options win over the ones given here). */
  resumeFrom?: string;
  /** Run a maintenance again on a host where one started but never reported (kill -9). Default: fail it, outcome unknown. */
  rerunInterrupted?: boolean;
  /** How long a host blocked by the rollout may stay blocked before `rollout status` names it. Default 12 h. */
  leaseMs?: number;
  /** The command, recorded in the state file (a resume with another one is refused). */
  command?: readonly string[];
  onRolloutEvent?: (event: RolloutEvent) => void;
  /** Called whenever a host changes phase (TTY progress). */
  onHostPhase?: (host: RolloutHostState) => void;
  dryRun?: boolean;
}
