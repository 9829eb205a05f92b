import type { SessionRecord } from '../types.js';
import { callHost } from './deadline.js';
import type { HostScope } from './scope.js';
import { describeChangeFailure } from './failure.js';
import { followSignal } from './follow-signal.js';
import { queryHost } from './query.js';
import type { ActionRecord } from './types.js';

/**
 * Sends one message to one session (text on msg's stdin via the transport); records the action. A user who
 * logged off between the listing and the message is `already-gone`, not a failure (re-queried, as for logoff).
 */
export async function messageSession(scope: HostScope, session: SessionRecord, text: string, seconds?: number): Promise<ActionRecord> {
  const { ctx, host } = scope;
  const base = { sessionId: session.id, username: session.username, action: 'message' as const };
  const result = await callHost(ctx, 'msg', (opts) =>
    ctx.transport.message(host.address, session.id, text, seconds === undefined ? opts : { ...opts, seconds }),
  );
  const failure = describeChangeFailure(host.name, result, 'msg', ctx.timeoutMs);
  if (!failure) return scope.act({ ...base, status: 'done', reason: null });
  if (failure.code !== 'ERR_ABORTED') {
    const after = await queryHost(ctx, host, 'query-session');
    if (after.ok && after.unreadable === 0 && !stillThere(after.sessions, session)) return scope.act({ ...base, status: 'already-gone', reason: 'the session had already ended' });
  }
  return scope.act({ ...base, status: 'failed', reason: failure.message });
}

/**
 * Logs off one session by its explicit id. Exit 0 is `done`. Otherwise logoff's text is not trusted
 * (its wording is unverified): the host is re-queried, and a session that is gone is `already-gone`,
 * one still there is `failed` with the reason. Changes are never retried: after a lost answer the id may
 * already belong to someone else, so only queries (read-only) get the RPC-unavailable retries.
 */
export async function logoffSession(scope: HostScope, session: SessionRecord): Promise<ActionRecord> {
  const { ctx, host } = scope;
  const base = { sessionId: session.id, username: session.username, action: 'logoff' as const };
  const result = await callHost(ctx, 'logoff', (opts) => ctx.transport.logoff(host.address, session.id, opts));
  const failure = describeChangeFailure(host.name, result, 'logoff', ctx.timeoutMs);
  if (!failure) return scope.act({ ...base, status: 'done', reason: null });
  if (failure.code === 'ERR_ABORTED') return scope.act({ ...base, status: 'failed', reason: `${failure.message}; the outcome is unknown` });
  const after = await queryHost(ctx, host, 'query-session');
  if (after.ok && after.unreadable === 0 && !stillThere(after.sessions, session)) {
    // After a timeout our logoff may well be what ended it: say so rather than "had already ended".
    const reason = failure.code === 'ERR_TIMEOUT' ? `${failure.message}; the session is gone now (this logoff may have ended it)` : 'the session had already ended';
    return scope.act({ ...base, status: 'already-gone', reason });
  }
  return scope.act({ ...base, status: 'failed', reason: failure.message });
}

/** Same id and same user: an id reused by someone else does not count as the session still being there. */
export function stillThere(sessions: readonly SessionRecord[], session: SessionRecord): boolean {
  return sessions.some((s) => s.id === session.id && sameUser(s.username, session.username));
}

export function sameUser(a: string | null, b: string | null): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}

/** Wraps a sleep so an abort ends the wait with `false` instead of throwing. */
export async function pause(scope: HostScope, ms: number): Promise<boolean> {
  if (ms <= 0) return !scope.ctx.signal?.aborted;
  const link = followSignal(scope.ctx.signal);
  try {
    await scope.ctx.sleep(ms, link.signal);
    return true;
  } catch {
    return false;
  } finally {
    link.release();
  }
}
