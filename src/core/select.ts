import type { SessionRecord } from '../types.js';
import { ambiguityReason, refuseAmbiguous } from './ambiguous.js';
import { assertStates, FIRST_LISTENER_ID, globToRegExp } from '../validate.js';
import { assertSelection, hasFilter, isSet } from './assert-selection.js';
import type { TargetSelection } from './types.js';

export { assertListFilters, assertSelection, filtersOf, type SelectionNames } from './assert-selection.js';

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
 * Why a session may never be targeted by a filter or `--all` (and is `refused` when asked for explicitly),
 * or null. `self` lifts only the own-session rule.
 * @example protectionReason({ ...session, sessionName: 'console' }, false) // 'the console session is never a target …'
 */
export function protectionReason(session: SessionRecord, self: boolean): string | null {
  const unsure = ambiguityReason(session);
  if (unsure !== null) return unsure;
  const name = session.sessionName?.toLowerCase() ?? '';
  if (session.id === 0 || name === 'services') return 'session 0 (services) is never a target';
  if (session.state === 'Listen' || session.id >= FIRST_LISTENER_ID) return 'a listener is never a target';
  if (name === 'console') return 'the console session is never a target (logoff cannot log it off)';
  // On a named host quser prints no `>`; own-session.ts marks the caller's session there (isCurrent) when the
  // host is this machine, or mayBeCurrent when it only may be: then it may be someone else's, so never with self.
  if (session.mayBeCurrent === true) return 'this may be your own session (the host may be this machine, and the id is yours here): never a target, not even with self (--self)';
  if (session.isCurrent && !self) return 'this is your own session: pass self (--self) to include it';
  return null;
}

/**
 * User globs match the whole user name, case-insensitively, never a substring. quser prints bare names;
 * should a name arrive as `DOMAIN\user`, a pattern without `\` matches its user part, one with `\` the whole.
 * A pattern with a domain matches a WTS record by its domain and name; a record read from quser has no
 * domain, so it never matches there: `CORP\bob` must not log off a local account `bob` (the CLI says why).
 */
function userMatcher(pattern: string): (session: SessionRecord) => boolean {
  const re = globToRegExp(pattern);
  const qualified = pattern.includes('\\');
  return ({ username, domain }) => {
    if (username === null) return false;
    if (re.test(username)) return true;
    if (qualified) return typeof domain === 'string' && domain !== '' && !username.includes('\\') && re.test(`${domain}\\${username}`);
    const slash = username.lastIndexOf('\\');
    return slash >= 0 && re.test(username.slice(slash + 1));
  };
}

/** `logoff bob` where bob is no session name but a user's: the selection they probably meant. */
function userHint(sessions: readonly SessionRecord[], name: string): string {
  const lower = name.toLowerCase();
  if (!sessions.some((s) => s.username?.toLowerCase() === lower)) return '';
  return `; ${name} is a user here: did you mean --user ${name}?`;
}

/** The AND of the filters, compiled once per selection; states are read as the parsers read them (`Disc`). */
function filterMatcher(selection: TargetSelection): (session: SessionRecord) => boolean {
  const user = selection.user === undefined ? null : userMatcher(selection.user);
  const states = isSet(selection, 'states') ? new Set(assertStates(selection.states ?? [])) : null;
  const idleOver = selection.idleOverMinutes;
  return (session) => {
    if (user && !user(session)) return false;
    if (states && !states.has(session.state)) return false;
    // Unknown idle never matches: a session is not "idle over 2h" because its idle column was unreadable.
    if (idleOver !== undefined && (session.idleMinutes === null || session.idleMinutes <= idleOver)) return false;
    return true;
  };
}

/**
 * Turns a selection into a plan against one host's freshly queried sessions (pure). Filters and `all`
 * never pick protected sessions, the caller's own session or sessions without a user; explicit ids and
 * names that turn out protected are refused, and missing ones are not-found. Targets are unique by id.
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
      plan.rejected.push({ sessionId: target.kind === 'id' ? target.id : null, username: null, status: 'not-found', reason: `${label} does not exist${target.kind === 'name' ? userHint(sessions, target.name) : ''}` });
      continue;
    }
    const refusal = protectionReason(found, self);
    if (refusal) plan.rejected.push({ sessionId: found.id, username: found.username, status: 'refused', reason: refusal });
    else add(found);
  }
  // self is an explicit target (assertSelection keeps it away from filters and all): it adds the own session.
  if (self) {
    const own = sessions.find((s) => s.isCurrent) ?? sessions.find((s) => s.mayBeCurrent === true);
    const refusal = own ? protectionReason(own, true) : null;
    if (own && refusal === null) add(own);
    else plan.rejected.push({ sessionId: own?.id ?? null, username: own?.username ?? null, status: own ? 'refused' : 'not-found', reason: refusal ?? 'no session of yours on this host' });
  }
  if (hasFilter(selection) || selection.all === true) {
    const matches = filterMatcher(selection);
    for (const s of sessions) {
      if (s.username !== null && protectionReason(s, false) === null && matches(s)) add(s);
    }
  }
  return refuseAmbiguous(sessions, plan, hasFilter(selection) || selection.all === true);
}
