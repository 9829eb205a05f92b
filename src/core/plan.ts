import type { SessionRecord } from '../types.js';
import type { HostScope } from './scope.js';
import type { SelectionPlan } from './select.js';
import { sameUser } from './steps.js';
import type { ActionRecord, ConfirmedPlan } from './types.js';

const sameHost = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * A host whose plan failed (unreachable, access denied, a change the transport cannot make) was shown to the
 * operator as failed, with nothing to do: it is not touched now, even if it answers. Its plan errors are
 * reported again; returns their text, or null when the host was planned (or there is no plan).
 * @example if (unplannedHost(scope, options.plan) !== null) return;
 */
export function unplannedHost(scope: HostScope, plan: ConfirmedPlan | undefined): string | null {
  if (!plan) return null;
  const errors = plan.errors.filter((e) => sameHost(e.host, scope.host.name));
  if (errors.length === 0) return null;
  const reasons = errors.map((e) => {
    const record = scope.fail({ code: e.code, message: `${e.message} (when the plan was made: nothing was done there)` });
    return record.message;
  });
  return reasons.join('; ');
}

/** A session action as planned: the state travels with it, so the plan can say who is Active. */
export function plannedAction(s: SessionRecord, action: 'message' | 'logoff'): Omit<ActionRecord, 'host'> {
  return { sessionId: s.id, username: s.username, action, status: 'planned', reason: null, state: s.state };
}

/**
 * The fresh selection of one host, cut down to what the operator confirmed: the `planned` logoff actions of
 * this host, matched by id AND user (ids are reused). Everything else is reported, never acted on:
 * - a session that matches only now: `skipped` (it was not in the plan);
 * - one planned while not Active and Active now, when no warning goes first: `refused` (the plan did not
 *   say it would lose unsaved work);
 * - a planned session that no longer matches: `skipped`; one that ended, or whose id another user holds:
 *   `already-gone`; one missing from a listing with unreadable rows: `not-found` (it may be in them).
 * Records of sessions nothing was attempted on make no audit event. Returns the sessions to act on.
 */
export function restrictToPlan(
  scope: HostScope,
  selected: SelectionPlan,
  listing: { sessions: readonly SessionRecord[]; unreadable: number },
  plan: ConfirmedPlan,
  warnsFirst: boolean,
): SessionRecord[] {
  const planned = plan.actions.filter((a) => sameHost(a.host, scope.host.name) && a.action === 'logoff' && a.status === 'planned' && a.sessionId !== null);
  const isPlanned = (s: SessionRecord) => (p: ActionRecord): boolean => p.sessionId === s.id && sameUser(p.username, s.username);
  const record = (s: { id: number | null; username: string | null }, status: 'skipped' | 'refused' | 'already-gone' | 'not-found', reason: string): void => {
    scope.act({ sessionId: s.id, username: s.username, action: 'logoff', status, reason }, false);
  };
  const keep: SessionRecord[] = [];
  for (const s of selected.targets) {
    const p = planned.find(isPlanned(s));
    if (!p) record(s, 'skipped', 'not in the plan you confirmed (it matched only after the plan was shown): left alone');
    else if (!warnsFirst && s.state === 'Active' && p.state !== undefined && p.state !== 'Active') {
      record(s, 'refused', `${p.state} when you confirmed, Active now: not logged off without a warning (it would lose unsaved work); run the command again to see it`);
    } else keep.push(s);
  }
  for (const p of planned) {
    if (selected.targets.some((s) => isPlanned(s)(p))) continue;
    // Refused by the selection itself (e.g. its row is ambiguous now): that record says why already.
    if (selected.rejected.some((r) => r.sessionId === p.sessionId)) continue;
    const who = { id: p.sessionId, username: p.username };
    const now = listing.sessions.find((s) => s.id === p.sessionId);
    if (now && sameUser(now.username, p.username)) record(who, 'skipped', `no longer matches the selection (it is ${now.state} now): left alone`);
    else if (now) record(who, 'already-gone', `session ${p.sessionId ?? ''} now belongs to ${now.username ?? 'nobody'}: left alone`);
    else if (listing.unreadable > 0) record(who, 'not-found', `not in the listing, which has ${listing.unreadable} unreadable row(s): it may be one of them, so it was not logged off`);
    else record(who, 'already-gone', 'the session ended after the plan was shown');
  }
  return keep;
}
