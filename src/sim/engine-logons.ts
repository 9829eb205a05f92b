import type { SimLogons } from './farm.js';
import { isReached, reachHost } from './host-access.js';
import { fail, ok, type SimOutcome } from './outcome.js';
import { CHGLOGON_USAGE, CRLF, invalidParameters } from './sim-errors.js';
import { findHost, type FarmState } from './state.js';

// Unverified: chglogon's exact sentences; callers read the registry instead (windows-facts.md).
const QUERY_TEXT: Record<SimLogons, string> = {
  enabled: 'Session logins are currently ENABLED',
  disabled: 'Session logins are currently DISABLED',
  drain: 'New user logons are DISABLED, but reconnections to existing sessions are ENABLED',
  'drain-until-restart': 'New user logons are DISABLED until the server is restarted, but reconnections to existing sessions are ENABLED',
};
const SET: Record<string, [SimLogons, string]> = {
  '/enable': ['enabled', 'Session logins are now ENABLED'],
  '/disable': ['disabled', 'Session logins are now DISABLED'],
  '/drain': ['drain', 'New user logons are now DISABLED, but reconnections to existing sessions are ENABLED'],
  '/drainuntilrestart': ['drain-until-restart', 'New user logons are now DISABLED until the server is restarted, but reconnections to existing sessions are ENABLED'],
};

/**
 * `change logon /query|/enable|/disable|/drain|/drainuntilrestart`: local only. chglogon has no /server:
 * switch, so one is rejected like any unknown argument (Invalid parameter(s) + usage).
 */
export function runChangeLogon(state: FarmState, args: readonly string[]): SimOutcome {
  const [sub, flag, ...rest] = args.map((a) => a.toLowerCase());
  const host = findHost(state, null)?.host;
  if (sub !== 'logon' || flag === undefined || rest.length > 0 || host === undefined) {
    return fail(invalidParameters(CHGLOGON_USAGE));
  }
  if (flag === '/query') return ok(QUERY_TEXT[host.logons ?? 'enabled'] + CRLF);
  const set = SET[flag];
  if (set === undefined) return fail(invalidParameters(CHGLOGON_USAGE));
  host.logons = set[0];
  return ok(set[1] + CRLF, 0, true);
}

const ROOTS: Record<string, string> = { hkcu: 'HKEY_CURRENT_USER', hkey_current_user: 'HKEY_CURRENT_USER', hklm: 'HKEY_LOCAL_MACHINE', hkey_local_machine: 'HKEY_LOCAL_MACHINE' };
const NOT_FOUND = `ERROR: The system was unable to find the specified registry key or value.${CRLF}`;

function regValue(state: FarmState, logons: SimLogons, path: string, value: string): [string, string] | null {
  const key = `${path}\\${value}`.toLowerCase();
  if (key === 'hkey_current_user\\control panel\\international\\sshortdate') return ['REG_SZ', state.callerShortDate];
  if (key === 'hkey_current_user\\control panel\\international\\sshorttime') return ['REG_SZ', state.callerShortTime];
  if (key === 'hkey_local_machine\\system\\currentcontrolset\\control\\terminal server\\tsserverdrainmode') {
    return ['REG_DWORD', `0x${{ enabled: 0, disabled: 0, 'drain-until-restart': 1, drain: 2 }[logons].toString(16)}`];
  }
  // Unverified: WinStationsDisabled is believed to be a REG_SZ "0"/"1".
  if (key === 'hkey_local_machine\\software\\microsoft\\windows nt\\currentversion\\winlogon\\winstationsdisabled') {
    return ['REG_SZ', logons === 'disabled' ? '1' : '0'];
  }
  return null;
}

/**
 * `reg query [\\host\]<key> /v <value>` for the few values the tool reads; output in reg.exe's layout
 * (blank line, key, `    name    TYPE    data`, blank line).
 */
export function runReg(state: FarmState, args: readonly string[], now: number): SimOutcome {
  const [verb, key, v, value, ...rest] = args;
  if (verb?.toLowerCase() !== 'query' || key === undefined || v?.toLowerCase() !== '/v' || value === undefined || rest.length > 0) {
    return fail(`ERROR: Invalid syntax.${CRLF}Type "REG QUERY /?" for usage.${CRLF}`);
  }
  const m = /^(?:\\\\([^\\]+)\\)?([^\\]+)(\\.*)?$/.exec(key);
  const root = ROOTS[m?.[2]?.toLowerCase() ?? ''];
  if (!m || root === undefined || (m[1] !== undefined && root !== 'HKEY_LOCAL_MACHINE')) {
    return fail(`ERROR: Invalid key name.${CRLF}Type "REG QUERY /?" for usage.${CRLF}`);
  }
  const server = m[1] ?? null;
  const reached = reachHost(state, server, now, (code) =>
    code === 5 ? `ERROR: Access is denied.${CRLF}` : `ERROR: The network path was not found.${CRLF}`);
  if (!isReached(reached)) return reached;
  const path = `${root}${m[3] ?? ''}`;
  const found = regValue(state, reached.host.logons ?? 'enabled', path, value);
  if (found === null) return fail(NOT_FOUND, reached.delayMs, reached.mutated);
  const shownKey = server === null ? path : `\\\\${server}\\${path}`;
  return ok(`${CRLF}${shownKey}${CRLF}    ${value}    ${found[0]}    ${found[1]}${CRLF}${CRLF}`, reached.delayMs, reached.mutated);
}
