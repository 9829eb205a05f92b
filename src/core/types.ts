import type { HostErrorCode } from '../errors.js';
import type { LogonMode, LogonState, Transport } from '../run/transport.js';
import type { SessionRecord, SessionState } from '../types.js';

export type ActionKind = 'message' | 'logoff' | 'block-logons' | 'allow-logons' | 'verify';
export type ActionStatus = 'done' | 'already-gone' | 'planned' | 'skipped' | 'refused' | 'not-found' | 'failed';

/** One thing done (or deliberately not done) to one session or host. The CLI's JSON `actions[]`. */
export interface ActionRecord {
  host: string;
  sessionId: number | null;
  username: string | null;
  action: ActionKind;
  status: ActionStatus;
  reason: string | null;
  /**
   * On `planned` session actions only (a dry run): the session's state when it was planned, so a plan shown
   * to an operator can say which users are Active (and would lose unsaved work). Absent elsewhere.
   */
  state?: SessionState;
}

/** A host that could not be handled. The CLI's JSON `errors[]`. */
export interface HostErrorRecord {
  host: string;
  code: HostErrorCode;
  message: string;
}

export interface ListReport {
  sessions: SessionRecord[];
  errors: HostErrorRecord[];
}

export interface ActionReport {
  actions: ActionRecord[];
  errors: HostErrorRecord[];
  /** True when an AbortSignal stopped the run; what was not started is absent from `actions`. */
  interrupted: boolean;
}

export type DrainHostStatus = 'drained' | 'failed' | 'planned' | 'interrupted';

export interface DrainHostReport {
  host: string;
  status: DrainHostStatus;
  reason: string | null;
  /** User sessions still present when the host was given up on (empty when drained). */
  sessionsLeft: SessionRecord[];
}

export interface DrainReport extends ActionReport {
  hosts: DrainHostReport[];
}

/**
 * A dry run's report after the operator saw it and said yes, passed back as `plan` to the real run with the
 * same options: the run acts on what it planned and never more. A host with an error in the plan is not
 * touched (the error is reported again); `logoff` acts only on the sessions of its `planned` logoff actions
 * (same host, id and user), and reports the rest (see `LogoffOptions.plan`).
 */
export interface ConfirmedPlan {
  actions: readonly ActionRecord[];
  errors: readonly HostErrorRecord[];
}

export interface LogonsHostReport {
  host: string;
  state: LogonState;
}

export interface LogonsReport extends ActionReport {
  hosts: LogonsHostReport[];
}

/** Which sessions an operation is aimed at. Targets are ids or session names, already validated. */
export interface TargetSelection {
  targets?: readonly string[];
  /** Whole-name, case-insensitive glob (`*`, `?`); never a substring match. */
  user?: string;
  /** Canonical names or what quser prints (`Disc`, `Conn`, `Getr.`), any case; unknown words are refused. */
  states?: readonly (SessionState | (string & Record<never, never>))[];
  idleOverMinutes?: number;
  all?: boolean;
  /**
   * The caller's own session, an explicit target like `targets` (logged off by its explicit id). Explicit
   * targets (`targets`, `self`) and mass selectors (`user`, `states`, `idleOverMinutes`, `all`) never mix.
   */
  self?: boolean;
}

/** Emitted for every action that changes a host; the CLI's `--audit-log` writes these as JSON lines. */
export interface AuditEvent {
  time: string;
  operator: string;
  host: string;
  sessionId: number | null;
  username: string | null;
  action: ActionKind;
  result: ActionStatus;
  reason: string | null;
}

export interface ProgressEvent {
  done: number;
  total: number;
  failed: number;
}

/** Options shared by every multi-host operation. */
export interface HostRunOptions {
  /**
   * Hosts to act on. Omitted: the local machine (`localhost` in reports). An empty list: no host at all
   * (an empty CI shard must never turn into "this machine").
   */
  servers?: readonly string[];
  transport: Transport;
  /** Hosts in flight at once: an integer from 1 to 256 (as the CLI's --concurrency). Default 16. */
  concurrency?: number;
  /**
   * Per host operation, in ms; kills the process. Default 30 000. More than 0 up to 86 400 000 (24 h);
   * 0 or Infinity: no per-call timeout (only `signal` ends a hung call). NaN, negative or larger: ValidationError.
   */
  timeoutMs?: number;
  /** Extra attempts for transient failures (RPC unavailable) only: an integer from 0 to 10. Default 2. */
  retries?: number;
  signal?: AbortSignal;
  /**
   * Audit events. This, `onProgress` and `onWarning` may throw or reject: the run goes on as if they had
   * returned, and each one's first failure is reported once (through `onWarning`, else `process.emitWarning`).
   */
  onEvent?: (event: AuditEvent) => void;
  onProgress?: (progress: ProgressEvent) => void;
  /** Injectable for tests: resolves after ms, rejects when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable for tests. */
  now?: () => Date;
  /** Non-fatal problems for the operator (stderr in the CLI): unread rows, logoff without warning. */
  onWarning?: (message: string) => void;
  /** First backoff delay before retrying an RPC-unavailable host, 0 to 24 h; doubles each attempt. Default 1000. */
  retryDelayMs?: number;
  /** Who is acting, for audit events. Default `os.userInfo().username`. */
  operator?: string;
}

/** The filters of a selection: AND-ed, as `logoff` and `sendMessage` apply them. */
export type SessionFilters = Pick<TargetSelection, 'user' | 'states' | 'idleOverMinutes'>;

/**
 * With any filter, only the sessions `logoff` with the same filters would act on are listed (never
 * services, console, listeners, the caller's own session or sessions without a user); `allSessions`
 * (which lists exactly those) cannot be combined with filters.
 */
export interface ListOptions extends HostRunOptions, SessionFilters {
  allSessions?: boolean;
}

export interface LogoffOptions extends HostRunOptions, TargetSelection {
  dryRun?: boolean;
  /** Warn Active sessions first, then wait `graceMs`, which is then required (0 to log off right after the warning). */
  message?: string;
  /** 0 to 86 400 000 ms (24 h); only with `message`. */
  graceMs?: number;
  /**
   * Only with `message`: a target that was not Active when warned, and is Active after the grace (it
   * reconnected), gets the warning then and is logged off this long after it. 0 to 24 h; default 60 000.
   */
  lateNoticeMs?: number;
  /**
   * The dry run's report the operator confirmed (`ConfirmedPlan`). Only its planned sessions are logged off:
   * one that matches only now is `skipped`; a planned one that ended, or whose id another user now holds, is
   * `already-gone` (that other user is left alone); one that no longer matches is `skipped`; one planned while
   * not Active and Active now is `refused` unless `message` warns it first. No unsaved-work warning is repeated.
   */
  plan?: ConfirmedPlan;
}

export interface MessageOptions extends HostRunOptions, TargetSelection {
  text: string;
  /** How long the message box stays up (msg /time:N). Windows' own default applies when omitted. */
  seconds?: number;
  dryRun?: boolean;
}

export type BlockLogonsMode = 'drain' | 'until-restart' | 'none';

/**
 * Every wait in ms (`graceMs`, `remindEveryMs`, `lateNoticeMs`, `pollIntervalMs`, `verifyTimeoutMs`) is 0 to
 * 86 400 000 (24 h). Each warned user gets at least `graceMs` after their own warning (`lateNoticeMs` when warned
 * late), and is never logged off before the deadline its default text names.
 */
export interface DrainOptions extends HostRunOptions {
  blockLogons?: BlockLogonsMode;
  message?: string;
  graceMs?: number;
  remindEveryMs?: number;
  /**
   * A user seen Active who was never warned (reconnected or new) is warned at once and logged off no earlier
   * than this long after it, nor before the grace ends. Default 60 000.
   */
  lateNoticeMs?: number;
  pollIntervalMs?: number;
  verifyTimeoutMs?: number;
  dryRun?: boolean;
  /**
   * The dry run's report the operator confirmed: a host with an error in it is not drained (`failed`, the
   * error reported again). The others are drained as planned, including users who arrive during the grace.
   */
  plan?: ConfirmedPlan;
  /** Each host's step as it starts (a terminal's progress line); may throw or reject, like `onProgress`. */
  onHostPhase?: (phase: DrainHostPhase) => void;
}

export type DrainStep = 'blocking' | 'listing' | 'warning' | 'waiting' | 'logging-off' | 'verifying' | 'done';

/** Where one host's drain is: its step, the user sessions left as last seen, and while waiting until when. */
export interface DrainHostPhase {
  host: string;
  step: DrainStep;
  /** User sessions the drain still has to see leave or log off (null before the first listing, and when done). */
  sessionsLeft: number | null;
  /** While waiting: when the last of them is due to be logged off (ISO). Null in the other steps. */
  until: string | null;
  /** With `done`: how the host ended. */
  status?: DrainHostStatus;
}

export interface LogonsOptions extends HostRunOptions {
  /** Omit for status only. */
  mode?: LogonMode;
  dryRun?: boolean;
  /** The dry run's report the operator confirmed: a host with an error in it is not changed (the error is reported again). */
  plan?: ConfirmedPlan;
}
