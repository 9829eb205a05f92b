import type { CommandSpec } from '../types.js';
import type { LogonState } from '../run/transport.js';
import { assertHost } from '../validate.js';
import { resolveSystemProgram, type SystemContext, defaultSystemContext } from './system-path.js';

export const INTERNATIONAL_KEY = 'HKCU\\Control Panel\\International';
export const TERMINAL_SERVER_KEY = 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server';
export const WINLOGON_KEY = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon';

function regQuery(key: string, value: string, server: string | null | undefined, context: SystemContext): CommandSpec {
  // reg.exe addresses another machine's hive as \\host\HKLM\...; that needs the RemoteRegistry service there.
  const fullKey = server === undefined || server === null ? key : `\\\\${assertHost(server)}\\${key}`;
  return { file: resolveSystemProgram('reg', context), args: ['query', fullKey, '/v', value] };
}

/**
 * `reg query "HKCU\Control Panel\International" /v sShortDate`: the caller's short-date pattern, which quser
 * uses for LOGON TIME (also for /server: queries, since the caller formats the dates).
 * @example buildShortDateQuery().args // ['query', 'HKCU\\Control Panel\\International', '/v', 'sShortDate']
 */
export function buildShortDateQuery(context: SystemContext = defaultSystemContext()): CommandSpec {
  return regQuery(INTERNATIONAL_KEY, 'sShortDate', null, context);
}

/**
 * `reg query [\\host\]HKLM\...\Terminal Server /v TSServerDrainMode`.
 * @example buildDrainModeQuery({ server: 'rds01' }).args[1] // '\\\\rds01\\HKLM\\System\\...'
 */
export function buildDrainModeQuery(options: { server?: string | null } = {}, context: SystemContext = defaultSystemContext()): CommandSpec {
  return regQuery(TERMINAL_SERVER_KEY, 'TSServerDrainMode', options.server, context);
}

/**
 * `reg query [\\host\]HKLM\...\Winlogon /v WinStationsDisabled`.
 * @example buildWinStationsDisabledQuery().args[3] // 'WinStationsDisabled'
 */
export function buildWinStationsDisabledQuery(options: { server?: string | null } = {}, context: SystemContext = defaultSystemContext()): CommandSpec {
  return regQuery(WINLOGON_KEY, 'WinStationsDisabled', options.server, context);
}

export interface RegValue {
  type: string;
  data: string;
}

/**
 * Reads one value line of `reg query` output (`    sShortDate    REG_SZ    dd.MM.yyyy`). Value lines are not
 * localized; the key line and error texts are, so they are ignored.
 * @example parseRegValue('    X    REG_DWORD    0x2', 'X') // { type: 'REG_DWORD', data: '0x2' }
 */
export function parseRegValue(stdout: string, name: string): RegValue | null {
  for (const line of stdout.split(/\r?\n/u)) {
    const match = /^\s+(\S(?:.*?\S)?)\s{2,}(REG_[A-Z_]+)(?:\s{2,}(.*?))?\s*$/u.exec(line);
    if (match && match[1]?.toLowerCase() === name.toLowerCase()) return { type: match[2] ?? '', data: match[3] ?? '' };
  }
  return null;
}

/** A REG_DWORD printed as `0x2` (reg.exe) or `2` (PowerShell); null when absent or unreadable. */
export function regDword(value: RegValue | null): number | null {
  if (value === null) return null;
  const text = value.data.trim();
  const n = /^0x[0-9a-f]+$/iu.test(text) ? Number.parseInt(text.slice(2), 16) : /^[0-9]+$/u.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Maps the two registry values to a logon state (windows-facts.md "Drain state without parsing"). A missing
 * value means the default (enabled / 0); unreadable means we cannot tell, passed in as undefined.
 * @example logonStateFrom({ drainMode: 2, winStationsDisabled: 0 }) // 'drain'
 */
export function logonStateFrom(values: { drainMode: number | null | undefined; winStationsDisabled: number | null | undefined }): LogonState {
  if (values.winStationsDisabled === undefined || values.drainMode === undefined) return 'unknown';
  if (values.winStationsDisabled === 1) return 'disabled';
  switch (values.drainMode ?? 0) {
    case 0:
      return 'enabled';
    case 1:
      return 'drain-until-restart';
    case 2:
      return 'drain';
    default:
      return 'unknown';
  }
}

/**
 * The DWORD from one `reg query` run: undefined when the read failed (access denied, RemoteRegistry stopped, value
 * missing: "cannot tell", not "0"), null when the output has no readable value line.
 * @example readRegDword({ exitCode: 0, stdout: '    X    REG_DWORD    0x1' }, 'X') // 1
 */
export function readRegDword(result: { exitCode: number | null; stdout: string }, name: string): number | null | undefined {
  if (result.exitCode !== 0) return undefined;
  return regDword(parseRegValue(result.stdout, name));
}
