import { parseQuerySession } from '../parse/query-session.js';
import { createLocalHostRule, type Locality } from '../run/local-host.js';
import type { SessionRecord } from '../types.js';
import type { RunContext } from './context.js';
import { callHost } from './deadline.js';
import { describeFailure, type Failure } from './failure.js';
import type { HostTarget } from './hosts.js';

/*
 * quser/qwinsta /server:X print no `>` marker, even when X is this machine (windows-facts.md, PSQuser issue 4),
 * so on a named host the caller's own session looks like anyone's: `logoff --all -s localhost` or
 * `drain -s <our name>` would log off the operator. When the transport's rule (local-host.ts) says a host is,
 * or may be, this machine, the caller's session id is learned from a local query (no /server:, which marks it)
 * and that session is marked, so every selection and drain protects it exactly as with no host.
 */

type CallerSession = { ok: true; id: number | null } | { ok: false; failure: Failure };

interface Memo {
  places: Map<string, Promise<Locality>>;
  caller?: Promise<CallerSession>;
  locate?: (host: string) => Promise<Locality>;
}

// Per run: a run asks each name once, and learns the caller's session once, whatever the number of polls.
const memos = new WeakMap<RunContext, Memo>();

function memoFor(ctx: RunContext): Memo {
  let memo = memos.get(ctx);
  if (memo === undefined) {
    memo = { places: new Map() };
    memos.set(ctx, memo);
  }
  return memo;
}

/**
 * Where a named host leads, asked once per run: the transport's rule, or, for a transport without one, the
 * rule over this machine's own names and addresses (never weaker than loopback and our names).
 */
export function locateHost(ctx: RunContext, address: string): Promise<Locality> {
  const memo = memoFor(ctx);
  const key = address.toLowerCase();
  let place = memo.places.get(key);
  if (place === undefined) {
    memo.locate ??= ctx.transport.locate?.bind(ctx.transport) ?? createLocalHostRule().locate;
    // A rule that fails cannot prove the host is elsewhere: protect as if it may be this machine.
    place = memo.locate(address).catch((): Locality => 'maybe-this-machine');
    memo.places.set(key, place);
  }
  return place;
}

function callerSession(ctx: RunContext): Promise<CallerSession> {
  const memo = memoFor(ctx);
  memo.caller ??= (async (): Promise<CallerSession> => {
    // query session (qwinsta) rather than quser: it lists every session, so `>` is there even for session 0.
    const result = await callHost(ctx, 'query session', (opts) => ctx.transport.query(null, 'query-session', opts));
    const failure = describeFailure('this machine', result, 'query session', ctx.timeoutMs);
    if (failure) return { ok: false, failure };
    const own = parseQuerySession(result.stdout).sessions.find((s) => s.isCurrent);
    // No `>` at all: the caller has no session to protect here, exactly as a local query would show.
    return { ok: true, id: own?.id ?? null };
  })();
  return memo.caller;
}

/**
 * Marks the caller's own session in a named host's listing: `isCurrent` when the host is this machine,
 * `mayBeCurrent` when it only may be (that session may be someone else's: never a target, not even with self).
 * A host whose caller session cannot be learned fails: acting on it could log off the operator.
 */
export async function markOwnSession(
  ctx: RunContext,
  host: HostTarget,
  sessions: SessionRecord[],
): Promise<{ ok: true; sessions: SessionRecord[] } | { ok: false; failure: Failure }> {
  if (host.address === null) return { ok: true, sessions };
  const place = await locateHost(ctx, host.address);
  if (place === 'other') return { ok: true, sessions };
  const caller = await callerSession(ctx);
  if (!caller.ok) {
    const why = place === 'this-machine' ? 'is this machine' : 'may be this machine';
    return {
      ok: false,
      failure: { code: caller.failure.code, message: `${host.name} ${why}, and your own session on it could not be learned (${caller.failure.message}): nothing is done there` },
    };
  }
  if (caller.id === null) return { ok: true, sessions };
  const mark = place === 'this-machine' ? { isCurrent: true } : { mayBeCurrent: true };
  return { ok: true, sessions: sessions.map((s) => (s.id === caller.id ? { ...s, ...mark } : s)) };
}
