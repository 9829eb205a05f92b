import { parseQuerySession } from '../parse/query-session.js';
import { parseQuser } from '../parse/quser.js';
import type { QueryKind } from '../run/transport.js';
import type { ParseResult, SessionRecord } from '../types.js';
import type { RunContext } from './context.js';
import { callHost } from './deadline.js';
import { describeFailure, type Failure } from './failure.js';
import { followSignal } from './follow-signal.js';
import type { HostTarget } from './hosts.js';
import { locateHost, markOwnSession } from './own-session.js';

/** `unreadable`: rows the parser could not read (they are not in `sessions`, so "nobody left" is unproven). */
export type QueryOutcome = { ok: true; sessions: SessionRecord[]; unreadable: number } | { ok: false; failure: Failure };

// Issues that drop a row or the whole input; the others keep the record with a field left unknown. An
// ambiguous row (or an id printed twice) is kept but may be any session, the one looked for included, so it
// counts too: it must never let a session pass for gone.
const LOST_ROW = new Set(['UNREADABLE_ROW', 'BAD_ID', 'DECODE', 'AMBIGUOUS_ROW', 'DUPLICATE_ID']);

/**
 * Queries one host: runs quser or query session, classifies the outcome, retries RPC-unavailable only
 * (with exponential backoff), and parses with the run's date order. Every record carries the host's
 * report name. Rows the parser could not read become warnings, never silent drops.
 *
 * Timeouts are not retried: a hung host would multiply the per-host bound by (retries + 1), and a host that
 * drops packets on 445 usually keeps doing so. Access denied and bad input are never transient.
 */
export async function queryHost(ctx: RunContext, host: HostTarget, kind: QueryKind): Promise<QueryOutcome> {
  const what = kind === 'quser' ? 'quser' : 'query session';
  // Started alongside the first query (memoized per run), so learning it adds no round trip.
  const order = ctx.dateOrder();
  // Also started alongside: whether a named host is this machine (then its listing lacks our `>` marker).
  if (host.address !== null) void locateHost(ctx, host.address);
  for (let attempt = 0; ; attempt++) {
    const result = await callHost(ctx, what, (opts) => ctx.transport.query(host.address, kind, opts));
    // E.g. `--source auto` fell back from WTS to text: the transport hands the warning out once per run.
    if (result.warning !== undefined) ctx.warn(result.warning);
    // Sessions read as data (the WTS source) need no classifying and no parsing; they were validated already.
    const failure = result.sessions !== undefined ? null : describeFailure(host.name, result, what, ctx.timeoutMs);
    if (failure === null) {
      const dateOrder = await order;
      const parse = kind === 'quser' ? parseQuser : parseQuerySession;
      const parsed = result.sessions !== undefined ? { sessions: [...result.sessions], issues: [] } : textRecords(parse(result.stdout, dateOrder ? { dateOrder, host: host.name } : { host: host.name }));
      for (const issue of parsed.issues) ctx.warn(`${host.name}: ${what} line ${issue.line}: ${issue.message} (${issue.code})`);
      // The parser stamps the host too; set it here so no record can leave without one.
      const unreadable = parsed.issues.filter((issue) => LOST_ROW.has(issue.code)).length;
      const own = await markOwnSession(ctx, host, parsed.sessions.map((s) => ({ ...s, host: host.name })));
      return own.ok ? { ok: true, sessions: own.sessions, unreadable } : own;
    }
    if (kind === 'quser' && failure.code === 'ERR_UNEXPECTED_OUTPUT' && result.exitCode === 1) return usersFromQuerySession(ctx, host, failure);
    if (failure.code !== 'ERR_HOST_UNREACHABLE' || attempt >= ctx.retries || ctx.signal?.aborted) return { ok: false, failure };
    const link = followSignal(ctx.signal);
    try {
      await ctx.sleep(ctx.retryDelayMs * 2 ** attempt, link.signal);
    } catch {
      return { ok: false, failure: { code: 'ERR_ABORTED', message: `${what} on ${host.name} was interrupted` } };
    } finally {
      link.release();
    }
  }
}

const toldUnknownText = new WeakMap<RunContext, Set<string>>();

/**
 * quser's exit 1 with a text classify does not know (a translation of "No User exists for *" not listed yet,
 * or a real error) proves nothing. query session always prints a table (services, console, listeners), so
 * its user sessions are evidence either way: they stand in for quser's list. If it fails too, quser's
 * failure stands. The operator is told once per host and run, so the text can be added to classify.ts.
 */
async function usersFromQuerySession(ctx: RunContext, host: HostTarget, failure: Failure): Promise<QueryOutcome> {
  const all = await queryHost(ctx, host, 'query-session');
  if (!all.ok) return { ok: false, failure };
  const told = toldUnknownText.get(ctx) ?? new Set<string>();
  toldUnknownText.set(ctx, told);
  if (!told.has(host.name)) {
    told.add(host.name);
    ctx.warn(`${host.name}: quser answered a text we do not know (${failure.message}); the host was read with query session instead`);
  }
  return { ok: true, sessions: all.sessions.filter((s) => s.username !== null && s.username !== ''), unreadable: all.unreadable };
}

function textRecords(result: ParseResult): ParseResult {
  return { ...result, sessions: result.sessions.map((s) => ({ ...s, source: 'text' })) };
}

/** Same user in both tables; a name cut with "..." in one of them matches the other by its start. */
function sameName(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  const cut = (t: string): string | null => (t.endsWith('...') && t.length > 3 ? t.slice(0, -3) : null);
  return x === y || (cut(x) !== null && y.startsWith(cut(x) ?? '')) || (cut(y) !== null && x.startsWith(cut(y) ?? ''));
}

/**
 * All sessions (query session) for names and protection, plus quser's idle and logon columns when asked,
 * merged by id. Unverified: whether quser and query session can disagree on a user's id in one instant;
 * a session present in only one of them keeps what that one knows.
 */
export async function querySessions(ctx: RunContext, host: HostTarget, withIdle: boolean): Promise<QueryOutcome> {
  const all = await queryHost(ctx, host, 'query-session');
  // WTS records carry idle and logon times already: no second query.
  if (!all.ok || !withIdle || all.sessions.some((s) => s.source === 'wts')) return all;
  const users = await queryHost(ctx, host, 'quser');
  if (!users.ok) return users;
  const byId = new Map(users.sessions.map((s) => [s.id, s]));
  return {
    ok: true,
    unreadable: all.unreadable + users.unreadable,
    sessions: all.sessions.map((s) => {
      const u = byId.get(s.id);
      if (!u) return s;
      // The two queries ran at different instants: an id that changed hands in between must not lend one
      // user's idle time to another (--idle-over would pick an active user). Unknown idle never matches.
      if (!sameName(u.username, s.username)) return { ...s, isCurrent: s.isCurrent || u.isCurrent };
      // Idle and logon times read from an ambiguous quser row may be another session's: never act on them.
      const unsure = s.ambiguous ?? u.ambiguous;
      return { ...s, ...(unsure === undefined ? {} : { ambiguous: unsure }), idleMinutes: u.idleMinutes, idleText: u.idleText, logonTime: u.logonTime, logonText: u.logonText, isCurrent: s.isCurrent || u.isCurrent };
    }),
  };
}
