import type { SessionRecord, SessionState } from '../types.js';

/**
 * The one typed boundary of the WTS source: what ps/SessionLogoff.ps1's wts* functions return (the C#
 * WtsResult of ps/WtsApi.cs, as JSON) is checked field by field here before it becomes records. Nothing
 * in it is trusted blindly: a field of the wrong type makes the whole answer `invalid`, never a guess.
 */
export type WtsAnswer =
  | { kind: 'ok'; sessions: SessionRecord[]; currentSessionId: number | null; response: number | null }
  | { kind: 'win32'; code: number; fn: string }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'invalid'; problem: string };

/** WTS_CONNECTSTATE_CLASS (= WINSTATIONSTATECLASS, windows-facts.md) → canonical state and its enum name. */
const STATES: readonly (readonly [SessionState, string])[] = [
  ['Active', 'WTSActive'],
  ['Connected', 'WTSConnected'],
  ['ConnectQuery', 'WTSConnectQuery'],
  ['Shadow', 'WTSShadow'],
  ['Disconnected', 'WTSDisconnected'],
  ['Idle', 'WTSIdle'],
  ['Listen', 'WTSListen'],
  ['Reset', 'WTSReset'],
  ['Down', 'WTSDown'],
  ['Init', 'WTSInit'],
];

/** WTSClientProtocolType: 0 console, 1 ICA (Citrix), 2 RDP (Microsoft's documentation). */
const PROTOCOLS = ['console', 'ica', 'rdp'] as const;
export type ClientProtocol = (typeof PROTOCOLS)[number];

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/u;
const DWORD_MAX = 0xffff_ffff;
// Idle minutes past 10 years are not an idle time but a broken clock (quser shows such values too).
const MAX_IDLE_MINUTES = 10 * 366 * 24 * 60;

class Invalid extends Error {}

function field(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function integer(o: Record<string, unknown>, key: string, max: number, nullable: boolean): number | null {
  const v = field(o, key);
  if ((v === null || v === undefined) && nullable) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) throw new Invalid(`${key} must be an integer from 0 to ${max}`);
  return v;
}

/** null, absent and "" are all "none" (the API gives empty strings for blank names). */
function text(o: Record<string, unknown>, key: string): string | null {
  const v = field(o, key);
  if (v === null || v === undefined || v === '') return null;
  if (typeof v !== 'string' || v.length > 512 || /[\u0000-\u001f\u007f]/u.test(v)) throw new Invalid(`${key} must be a string of printable characters`);
  return v;
}

function time(o: Record<string, unknown>, key: string): string | null {
  const v = field(o, key);
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' || !ISO_UTC.test(v) || Number.isNaN(Date.parse(v))) throw new Invalid(`${key} must be a UTC ISO 8601 time`);
  return v;
}

function address(o: Record<string, unknown>): string | null {
  const v = text(o, 'ClientAddress');
  if (v !== null && !/^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:.]{2,45})$/u.test(v)) throw new Invalid('ClientAddress must be an IP address');
  return v;
}

/** quser's IDLE TIME notation, so tables read the same for both sources: `.`, `7`, `1:35`, `2+03:04`. */
export function formatIdle(minutes: number | null): string | null {
  if (minutes === null) return null;
  if (minutes === 0) return '.';
  if (minutes < 60) return String(minutes);
  const days = Math.floor(minutes / 1440);
  const hhmm = `${Math.floor((minutes % 1440) / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  return days > 0 ? `${days}+${hhmm.padStart(5, '0')}` : hhmm;
}

function record(value: unknown, currentSessionId: number | null): SessionRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid('a session must be an object');
  const o = value as Record<string, unknown>;
  const id = integer(o, 'Id', DWORD_MAX, false) as number;
  const stateValue = integer(o, 'State', DWORD_MAX, false) as number;
  const state = STATES[stateValue];
  const idle = integer(o, 'IdleMinutes', Number.MAX_SAFE_INTEGER, true);
  const protocol = integer(o, 'ClientProtocol', 0xffff, true);
  const idleMinutes = idle !== null && idle <= MAX_IDLE_MINUTES ? idle : null;
  return {
    host: null,
    id,
    username: text(o, 'UserName'),
    sessionName: text(o, 'SessionName'),
    state: state?.[0] ?? 'Unknown',
    stateText: state?.[1] ?? String(stateValue),
    idleMinutes,
    idleText: formatIdle(idleMinutes),
    logonTime: time(o, 'LogonTime'),
    logonText: null,
    isCurrent: currentSessionId !== null && id === currentSessionId,
    type: null,
    device: null,
    domain: text(o, 'Domain'),
    clientName: text(o, 'ClientName'),
    clientAddress: address(o),
    clientProtocol: protocol === null ? null : (PROTOCOLS[protocol] ?? null),
    lastInputTime: time(o, 'LastInputTime'),
    disconnectTime: time(o, 'DisconnectTime'),
    source: 'wts',
  };
}

/**
 * Reads one wts* answer (the envelope's `data`). Sessions come back sorted by id, as quser lists them.
 * @example readWtsAnswer({ Available: true, Win32Error: 5, Function: 'WTSEnumerateSessionsExW' }) // { kind: 'win32', code: 5, fn: 'WTSEnumerateSessionsExW' }
 */
export function readWtsAnswer(data: unknown): WtsAnswer {
  try {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Invalid('the answer must be an object');
    const o = data as Record<string, unknown>;
    const available = field(o, 'Available');
    if (available === false) {
      const reason = field(o, 'Reason');
      return { kind: 'unavailable', reason: typeof reason === 'string' && reason !== '' ? reason : 'the WTS API is not available' };
    }
    if (available !== true) throw new Invalid('Available must be true or false');
    const code = integer(o, 'Win32Error', DWORD_MAX, false) as number;
    if (code !== 0) {
      const fn = field(o, 'Function');
      return { kind: 'win32', code, fn: typeof fn === 'string' && /^WTS[A-Za-z]+$/u.test(fn) ? fn : 'the WTS call' };
    }
    const currentSessionId = integer(o, 'CurrentSessionId', DWORD_MAX, true);
    const response = integer(o, 'Response', DWORD_MAX, true);
    const list = field(o, 'Sessions');
    if (list !== null && list !== undefined && !Array.isArray(list)) throw new Invalid('Sessions must be a list');
    const sessions = (Array.isArray(list) ? list : []).map((s) => record(s, currentSessionId)).sort((a, b) => a.id - b.id);
    if (new Set(sessions.map((s) => s.id)).size !== sessions.length) throw new Invalid('session ids must be unique');
    return { kind: 'ok', sessions, currentSessionId, response };
  } catch (error) {
    if (error instanceof Invalid) return { kind: 'invalid', problem: error.message };
    throw error;
  }
}

/** What quser would list: sessions with a user, never a listener (the text source's `quser` query). */
export function userSessions(sessions: readonly SessionRecord[]): SessionRecord[] {
  return sessions.filter((s) => s.username !== null && s.state !== 'Listen');
}
