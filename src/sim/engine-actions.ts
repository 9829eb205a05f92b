import type { SimSession } from './farm.js';
import { isReached, reachHost, type Reached } from './host-access.js';
import { fail, ok, type SimOutcome } from './outcome.js';
import { CRLF, invalidParameters, LOGOFF_USAGE, logoffError, MSG_USAGE, win32Line } from './sim-errors.js';
import type { FarmState } from './state.js';
import { parseToolArgs } from './sim-args.js';

function findTarget(sessions: readonly SimSession[], target: string): SimSession | undefined {
  if (/^[0-9]+$/.test(target)) return sessions.find((s) => s.id === Number(target));
  const t = target.toLowerCase();
  return sessions.find((s) => s.name?.toLowerCase() === t);
}

function removeSession(reached: Reached, id: number): void {
  reached.host.sessions = reached.host.sessions.filter((s) => s.id !== id);
}

/**
 * logoff [<id>|<sessionname>] [/server:h] [/v]. Without a session it logs off the CALLER, as the real one does:
 * tests can prove the tool never gets there.
 * Unverified: every text logoff prints (/v line and errors); callers must re-query, never parse them.
 */
export function runLogoff(state: FarmState, args: readonly string[], now: number): SimOutcome {
  const parsed = parseToolArgs(args);
  const badSwitch = [...parsed.switches.keys()].find((k) => k !== 'server' && k !== 'v');
  if (parsed.invalid !== null || badSwitch !== undefined || parsed.positionals.length > 1) {
    return fail(invalidParameters(LOGOFF_USAGE));
  }
  const reached = reachHost(state, parsed.server, now, (code, lang) => logoffError(parsed.positionals[0] ?? '', code, lang));
  if (!isReached(reached)) return reached;
  const { host, language, delayMs, mutated } = reached;
  let target = parsed.positionals[0];
  if (target === undefined) {
    if (parsed.server !== null || state.callerSessionId === null) return fail(logoffError('', 7022, language), delayMs, mutated);
    target = String(state.callerSessionId);
  }
  const session = findTarget(host.sessions, target);
  // A session name must name an active session (windows-facts.md); an id may be any state.
  if (!session || (!/^[0-9]+$/.test(target) && session.state !== 'Active')) {
    return fail(logoffError(target, 7022, language), delayMs, mutated);
  }
  if (session.id === 0) return fail(logoffError(session.id, 5, language), delayMs, mutated);
  if (session.name?.toLowerCase() === 'console' || session.state === 'Listen') {
    // Unverified: the code Windows reports for the console or a listener; 50 = not supported.
    return fail(logoffError(session.id, 50, language), delayMs, mutated);
  }
  removeSession(reached, session.id);
  return ok(parsed.switches.has('v') ? `Logging off session ID ${session.id}${CRLF}` : '', delayMs, true);
}

function msgTargets(sessions: readonly SimSession[], target: string): SimSession[] {
  if (target === '*') return sessions.filter((s) => s.user !== null && s.state !== 'Listen');
  if (/^[0-9]+$/.test(target)) return sessions.filter((s) => s.id === Number(target));
  const t = target.toLowerCase();
  return sessions.filter((s) => s.name?.toLowerCase() === t || s.user?.toLowerCase() === t);
}

/**
 * msg {<id>|<sessionname>|<user>|*} [/server:h] [/time:s] [/v] [/w] [message]; no message = read stdin.
 * Unverified: the error texts for a missing or inactive session (the inactive one follows windows-facts.md).
 */
export function runMsg(state: FarmState, args: readonly string[], stdin: string | undefined, now: number): SimOutcome {
  const parsed = parseToolArgs(args);
  const badSwitch = [...parsed.switches.keys()].find((k) => !['server', 'time', 'v', 'w'].includes(k));
  const time = parsed.switches.get('time');
  const seconds = time === undefined ? null : /^[0-9]+$/.test(time ?? '') ? Number(time) : Number.NaN;
  const [target, ...words] = parsed.positionals;
  if (parsed.invalid !== null || badSwitch !== undefined || Number.isNaN(seconds) || target === undefined || target.startsWith('@')) {
    return fail(invalidParameters(MSG_USAGE));
  }
  const text = words.length > 0 ? words.join(' ') : (stdin ?? '').replace(/\r?\n$/, '');
  const reached = reachHost(state, parsed.server, now, (code, lang) => `Error opening session ${target}${CRLF}${win32Line(code, lang)}${CRLF}`);
  if (!isReached(reached)) return reached;
  const { host, language, delayMs } = reached;
  let mutated = reached.mutated;
  const targets = msgTargets(host.sessions, target);
  if (targets.length === 0) {
    return fail(`Error opening session ${target}${CRLF}${win32Line(7022, language)}${CRLF}`, delayMs, mutated);
  }
  const out: string[] = [];
  const errors: string[] = [];
  for (const s of targets) {
    const label = s.name ?? String(s.id);
    if (s.state !== 'Active') {
      errors.push(`Error sending message to session ${label} : Error 2147500058`);
      continue;
    }
    host.messages.push({ sessionId: s.id, text, time: now, seconds });
    mutated = true;
    if (parsed.switches.has('v')) out.push(`Sending message to session ${label}, display time ${seconds ?? 60}`);
    if (s.logsOffOnMessage) removeSession(reached, s.id);
  }
  const stdout = out.map((l) => l + CRLF).join('');
  if (errors.length > 0) return fail(errors.map((l) => l + CRLF).join(''), delayMs, mutated, stdout);
  return ok(stdout, delayMs, mutated);
}
