import type { SessionRecord } from '../types.js';
import type { SelectionPlan } from './select.js';

// A row the parser could read more than one way (a user name holding numbers and state words, no header
// to decide by; an id printed twice) carries `ambiguous`: its id, names and state may all be wrong, so the
// session is never acted on, however it was selected, and the operator is told (issue 9).

/**
 * Why a session may not be acted on because its row was ambiguous, or null.
 * @example ambiguityReason({ ...session, ambiguous: 'row can be read with session ID 2 or 5 …' }) // 'the row … could not be read unambiguously …'
 */
export function ambiguityReason(session: SessionRecord): string | null {
  if (session.ambiguous === undefined) return null;
  return `the row of this session could not be read unambiguously (${session.ambiguous}): not acted on; check the host by hand`;
}

/**
 * Completes a plan: with filters or `all`, every ambiguous row is reported refused, matching or not (its
 * fields cannot be trusted either way); an explicit target not found while some row is ambiguous is
 * refused, not not-found, since that row may be it (not-found can read as "already gone").
 */
export function refuseAmbiguous(sessions: readonly SessionRecord[], plan: SelectionPlan, filtered: boolean): SelectionPlan {
  const unsure = sessions.filter((s) => s.ambiguous !== undefined);
  if (unsure.length === 0) return plan;
  const ids = unsure.map((s) => s.id).join(', ');
  const rejected = plan.rejected.map((r) =>
    r.status === 'not-found' ? { ...r, status: 'refused' as const, reason: `${r.reason}, but the row(s) read as session ${ids} could not be read unambiguously and may be it: not acted on` } : r,
  );
  if (filtered) {
    for (const s of unsure) {
      if (!rejected.some((r) => r.sessionId === s.id && r.username === s.username && r.status === 'refused')) {
        rejected.push({ sessionId: s.id, username: s.username, status: 'refused', reason: ambiguityReason(s) ?? '' });
      }
    }
  }
  return { targets: plan.targets.filter((s) => s.ambiguous === undefined), rejected };
}
