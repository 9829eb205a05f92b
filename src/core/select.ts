import { ValidationError } from '../errors.js';
import type { SessionRecord } from '../types.js';
import { assertTargetAllowed, assertUserPattern, FIRST_LISTENER_ID, globToRegExp, parseTarget, type Target } from '../validate.js';
import type { TargetSelection } from './types.js';

/** A target that could not be acted on: reported as `refused` or `not-found`, never silently dropped. */
export interface Rejection {
  sessionId: number | null;
  username: string | null;
  status: 'refused' | 'not-found';
  reason: string;
}

export interface SelectionPlan {
  targets: SessionRecord[];
  rejected: Rejection[];
}

/**
 * Checks a selection before anything runs: every explicit target is a valid, allowed id or name, the user
 * pattern is valid, and there is something to select. No target at all is a usage error, never a logoff
 * of the caller (which is what `logoff` with no id does). Returns the parsed explicit targets.
 * @example assertSelection({ targets: ['3', 'rdp-tcp#7'] }) // [{kind:'id',id:3}, {kind:'name',name:'rdp-tcp#7'}]
 */
export function assertSelection(selection: TargetSelection): Target[] {
  const targets = (selection.targets ?? []).map((t) => assertTargetAllowed(parseTarget(t, 'target'), 'target'));
  if (selection.user !== undefined) assertUserPattern(selection.user, 'user');
  if (selection.idleOverMinutes !== undefined && !(Number.isFinite(selection.idleOverMinutes) && selection.idleOverMinutes >= 0)) {
    throw new ValidationError('idle-over', String(selection.idleOverMinutes), 'invalid idle-over: expected a duration of 0 or more');
  }
  const anyFilter = hasFilter(selection) || selection.all === true || selection.self === true;
  if (targets.length === 0 && !anyFilter) {
    throw new ValidationError('target', '', 'no target: give session ids or names, a filter (--user, --state, --idle-over), --all, or --self');
  }
  return targets;
}

function hasFilter(selection: TargetSelection): boolean {
  return selection.user !== undefined || (selection.states?.length ?? 0) > 0 || selection.idleOverMinutes !== undefined;
}

/**
 * Why a session may never be targeted by a filter or `--all` (and is `refused` when asked for explicitly),
 * or null. `self` lifts only the own-session rule.
 * @example protectionReason({ ...session, sessionName: 'console' }, false) // 'the console session is never a target …'
 */
export function protectionReason(session: SessionRecord, self: boolean): string | null {
  const name = session.sessionName?.toLowerCase() ?? '';
  if (session.id === 0 || name === 'services') return 'session 0 (services) is never a target';
  if (session.state === 'Listen' || session.id >= FIRST_LISTENER_ID) return 'a listener is never a target';
  if (name === 'console') return 'the console session is never a target (logoff cannot log it off)';
  // Unverified: whether quser/qwinsta /server:<host> print `>` for the caller's session on that host (or on
  // the row whose id equals the caller's LOCAL session id). Only the marker protects the own session.
  if (session.isCurrent && !self) return 'this is your own session: pass self (--self) to include it';
  return null;
}

/**
 * User globs match the whole user name, case-insensitively, never a substring. quser prints bare names;
 * should a name arrive as `DOMAIN\user`, a pattern without `\` matches its user part, one with `\` the whole.
 */
function userMatcher(pattern: string): (username: string | null) => boolean {
  const re = globToRegExp(pattern);
  const qualified = pattern.includes('\\');
  return (username) => {
    if (username === null) return false;
    if (re.test(username)) return true;
    const slash = username.lastIndexOf('\\');
    return !qualified && slash >= 0 && re.test(username.slice(slash + 1));
  };
}

function matchesFilters(session: SessionRecord, selection: TargetSelection): boolean {
  if (selection.user !== undefined && !userMatcher(selection.user)(session.username)) return false;
  if (selection.states && selection.states.length > 0 && !selection.states.includes(session.state)) return false;
  // Unknown idle never matches: a session is not "idle over 2h" because its idle column was unreadable.
  if (selection.idleOverMinutes !== undefined && (session.idleMinutes === null || session.idleMinutes <= selection.idleOverMinutes)) return false;
  return true;
}

/**
 * Turns a selection into a plan against one host's freshly queried sessions (pure). Filters and `all`
 * never pick protected sessions or sessions without a user; explicit ids and names that turn out protected
 * are refused, and missing ones are not-found. Targets are unique by id, explicit ones first.
 * @example selectTargets(sessions, { user: 'j*', states: ['Disconnected'] }).targets.map((s) => s.id)
 */
export function selectTargets(sessions: readonly SessionRecord[], selection: TargetSelection): SelectionPlan {
  const explicit = assertSelection(selection);
  const self = selection.self === true;
  const plan: SelectionPlan = { targets: [], rejected: [] };
  const chosen = new Set<number>();
  const add = (s: SessionRecord): void => {
    if (!chosen.has(s.id)) {
      chosen.add(s.id);
      plan.targets.push(s);
    }
  };
  for (const target of explicit) {
    const label = target.kind === 'id' ? `session ${target.id}` : `session ${target.name}`;
    const named = target.kind === 'name' ? sessions.filter((s) => s.sessionName?.toLowerCase() === target.name.toLowerCase()) : [];
    // A name cut with "..." stands for any name with that start, and one printed twice names no one id:
    // resolving either to the first match could log off the wrong session.
    if (target.kind === 'name' && (named.length > 1 || target.name.endsWith('...'))) {
      const why = named.length > 1 ? `names ${named.length} sessions (${named.map((s) => s.id).join(', ')})` : 'is a truncated name';
      plan.rejected.push({ sessionId: null, username: null, status: 'refused', reason: `${label} ${why}: give the session id instead` });
      continue;
    }
    const found = target.kind === 'id' ? sessions.find((s) => s.id === target.id) : named[0];
    if (!found) {
      plan.rejected.push({ sessionId: target.kind === 'id' ? target.id : null, username: null, status: 'not-found', reason: `${label} does not exist` });
      continue;
    }
    const refusal = protectionReason(found, self);
    if (refusal) plan.rejected.push({ sessionId: found.id, username: found.username, status: 'refused', reason: refusal });
    else add(found);
  }
  const filtered = hasFilter(selection) || selection.all === true;
  // With filters or --all, self only lifts the own-session rule; alone (or with explicit targets) it adds it.
  if (self && !filtered) {
    const own = sessions.find((s) => s.isCurrent);
    const refusal = own ? protectionReason(own, true) : null;
    if (own && refusal === null) add(own);
    else plan.rejected.push({ sessionId: own?.id ?? null, username: own?.username ?? null, status: own ? 'refused' : 'not-found', reason: refusal ?? 'no session of yours on this host' });
  }
  if (filtered) {
    for (const s of sessions) {
      if (s.username !== null && protectionReason(s, self) === null && matchesFilters(s, selection)) add(s);
    }
  }
  return plan;
}
