import type { SimSession } from './farm.js';
import { isReached, reachHost } from './host-access.js';
import { fail, ok, type SimOutcome } from './outcome.js';
import { renderQuerySession, renderQuser } from './render.js';
import { CRLF, invalidParameters, QUSER_USAGE } from './sim-errors.js';
import type { FarmState } from './state.js';
import { parseToolArgs } from './sim-args.js';

const QWINSTA_FLAGS = new Set(['server', 'mode', 'flow', 'connect', 'counter', 'vm']);

function matches(session: SimSession, filter: string): boolean {
  if (/^[0-9]+$/.test(filter)) return session.id === Number(filter);
  const f = filter.toLowerCase();
  return session.user?.toLowerCase() === f || session.name?.toLowerCase() === f;
}

/**
 * quser / `query user` and qwinsta / `query session` against the farm.
 * @example runQuery(state, 'quser', ['/server:rds1'], Date.now())
 */
export function runQuery(state: FarmState, kind: 'quser' | 'qwinsta', args: readonly string[], now: number): SimOutcome {
  const parsed = parseToolArgs(args);
  const allowed = kind === 'quser' ? new Set(['server']) : QWINSTA_FLAGS;
  if (parsed.switches.has('?')) return ok(QUSER_USAGE);
  const badSwitch = [...parsed.switches.keys()].find((k) => !allowed.has(k));
  if (parsed.invalid !== null || badSwitch !== undefined || parsed.positionals.length > 1) {
    return fail(invalidParameters(QUSER_USAGE));
  }
  const reached = reachHost(state, parsed.server, now);
  if (!isReached(reached)) return reached;
  const { host, language, delayMs, mutated } = reached;
  const filter = parsed.positionals[0];
  const sessions = filter === undefined ? host.sessions : host.sessions.filter((s) => matches(s, filter));
  const options = {
    language,
    shortDate: state.callerShortDate,
    shortTime: state.callerShortTime,
    // `>` marks the session the command runs in, which exists only on the local machine.
    currentSessionId: parsed.server === null ? state.callerSessionId : null,
    ...(host.layout ? { layout: host.layout } : {}),
  };
  if (kind === 'quser') {
    const text = renderQuser(sessions, options);
    // "No User exists" goes to stderr with exit 1, also for a filter that matches nothing (windows-facts.md).
    // Unverified: its translations; it stays English here.
    if (text === null) return fail(`No User exists for ${filter ?? '*'}${CRLF}`, delayMs, mutated);
    return ok(text, delayMs, mutated);
  }
  // Unverified: qwinsta's wording for a filter that matches nothing.
  if (sessions.length === 0) return fail(`No session exists for ${filter ?? '*'}${CRLF}`, delayMs, mutated);
  return ok(renderQuerySession(sessions, options), delayMs, mutated);
}
