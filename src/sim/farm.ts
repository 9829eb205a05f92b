import { isIP } from 'node:net';
import { assertHost } from '../validate.js';
import { bad, nonNegInt, nullableStr, obj, oneOf, str } from './farm-fields.js';

export type SimLanguage = 'en' | 'de' | 'fr' | 'it' | 'es' | 'pt' | 'ru' | 'zh' | 'ja';
export type SimFault = 'unreachable' | 'access-denied' | 'hang' | 'unknown-host' | 'security-package';
export type SimLogons = 'enabled' | 'drain' | 'drain-until-restart' | 'disabled';
/** Printed state abbreviations as en quser prints them; the renderer localizes them. */
export type SimState = 'Active' | 'Conn' | 'ConnQ' | 'Shadow' | 'Disc' | 'Idle' | 'Listen' | 'Reset' | 'Down' | 'Init';

/** A message msg delivered, recorded for assertions. */
export interface SimMessage {
  sessionId: number;
  text: string;
  /** Epoch ms when msg ran. */
  time: number;
  seconds: number | null;
  /** The message box title (WTSSendMessageW only; msg.exe has none). */
  title?: string;
}

export interface SimSession {
  id: number;
  /** SESSIONNAME; null prints blank (disconnected sessions have none). */
  name: string | null;
  user: string | null;
  state: SimState;
  /** Minutes idle; 0 prints `.`; null prints the localized "none" word. Default: none for console, else 0. */
  idleMinutes?: number | null;
  /** Logon time as ISO local `YYYY-MM-DDTHH:mm`. */
  logon?: string;
  /** The user logs off by themselves this long after the farm started. */
  logsOffAfterMs?: number;
  /** The user logs off as soon as a message reaches them (grace-period tests). */
  logsOffOnMessage?: boolean;
  /** Absolute epoch of logsOffAfterMs; set when the state is created. */
  logsOffAt?: number;
  /** What the WTS API reports beside the text tools' columns (the native double); absent = none / the host's name. */
  domain?: string;
  clientName?: string;
  /** IPv4 or IPv6 text. */
  clientAddress?: string;
}

export interface SimHost {
  language?: SimLanguage;
  /** query session layout: 18 (narrow) or 26 (wide) columns of SESSIONNAME. */
  layout?: 'narrow' | 'wide';
  latencyMs?: number;
  fault?: SimFault | null;
  /** The fault starts only after this many calls have succeeded (a host dying mid-run). */
  faultAfterCalls?: number;
  /** The first N calls fail with RPC unavailable, then the host answers (retry tests). */
  transientFailures?: number;
  logons?: SimLogons;
  sessions: SimSession[];
  messages?: SimMessage[];
}

export interface Farm {
  /** The machine the commands run on: it answers for no /server:, its own name, `localhost` and `.`. */
  localHost: string;
  /**
   * Its other names and addresses (FQDN, IP addresses, DNS aliases). Like its name and every loopback name or
   * address (127.0.0.0/8, ::1), they reach it by /server:, and the tool takes them for this machine.
   */
  localNames?: string[];
  /** .NET short date pattern of the orchestrating machine; quser prints LOGON TIME with it. */
  callerShortDate?: string;
  /** .NET short time pattern; default `h:mm tt` with the default date, else `H:mm`. */
  callerShortTime?: string;
  /** The caller's own session on the local host: `>` marks it in local queries. */
  callerSessionId?: number | null;
  hosts: Record<string, SimHost>;
}

export const DEFAULT_SHORT_DATE = 'M/d/yyyy';

const LANGUAGES: readonly string[] = ['en', 'de', 'fr', 'it', 'es', 'pt', 'ru', 'zh', 'ja'];
const FAULTS: readonly string[] = ['unreachable', 'access-denied', 'hang', 'unknown-host', 'security-package'];
const LOGONS: readonly string[] = ['enabled', 'drain', 'drain-until-restart', 'disabled'];
const STATES: readonly string[] = ['Active', 'Conn', 'ConnQ', 'Shadow', 'Disc', 'Idle', 'Listen', 'Reset', 'Down', 'Init'];

function parseSession(value: unknown, field: string): SimSession {
  const o = obj(value, field);
  const id = nonNegInt(o, 'id', field);
  if (id === undefined) bad(`${field}.id`, undefined, 'a non-negative integer');
  const state = oneOf<SimState>(o, 'state', field, STATES);
  if (state === undefined) bad(`${field}.state`, undefined, `one of ${STATES.join(', ')}`);
  const session: SimSession = { id, name: nullableStr(o, 'name', field), user: nullableStr(o, 'user', field), state };
  const idle = o['idleMinutes'];
  if (idle === null) session.idleMinutes = null;
  else if (idle !== undefined) session.idleMinutes = nonNegInt(o, 'idleMinutes', field) ?? 0;
  const logon = str(o, 'logon', field, true);
  if (logon !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(logon)) bad(`${field}.logon`, logon, 'an ISO local time YYYY-MM-DDTHH:mm');
    session.logon = logon;
  }
  for (const key of ['domain', 'clientName', 'clientAddress'] as const) {
    const value = str(o, key, field, true);
    if (value !== undefined) session[key] = value;
  }
  if (session.clientAddress !== undefined && isIP(session.clientAddress) === 0) bad(`${field}.clientAddress`, session.clientAddress, 'an IPv4 or IPv6 address');
  const after = nonNegInt(o, 'logsOffAfterMs', field);
  if (after !== undefined) session.logsOffAfterMs = after;
  const at = nonNegInt(o, 'logsOffAt', field);
  if (at !== undefined) session.logsOffAt = at;
  if (o['logsOffOnMessage'] !== undefined) {
    if (typeof o['logsOffOnMessage'] !== 'boolean') bad(`${field}.logsOffOnMessage`, o['logsOffOnMessage'], 'a boolean');
    session.logsOffOnMessage = o['logsOffOnMessage'];
  }
  return session;
}

/** Every host has services (0) and a listener (65536); console (1) unless the farm names id 1 itself. */
function withSpecialSessions(sessions: SimSession[]): SimSession[] {
  const out = [...sessions];
  const has = (pred: (s: SimSession) => boolean): boolean => out.some(pred);
  if (!has((s) => s.id === 0)) out.unshift({ id: 0, name: 'services', user: null, state: 'Disc' });
  if (!has((s) => s.name?.toLowerCase() === 'console') && !has((s) => s.id === 1)) {
    out.splice(1, 0, { id: 1, name: 'console', user: null, state: 'Conn' });
  }
  if (!has((s) => s.state === 'Listen')) out.push({ id: 65536, name: 'rdp-tcp', user: null, state: 'Listen' });
  return out.sort((a, b) => a.id - b.id);
}

function parseHost(value: unknown, field: string): SimHost {
  const o = obj(value, field);
  if (!Array.isArray(o['sessions'])) bad(`${field}.sessions`, o['sessions'], 'an array');
  const sessions = o['sessions'].map((s, i) => parseSession(s, `${field}.sessions[${i}]`));
  const ids = new Set<number>();
  for (const s of sessions) {
    if (ids.has(s.id)) bad(`${field}.sessions`, s.id, 'sessions with unique ids');
    ids.add(s.id);
  }
  const host: SimHost = { sessions: withSpecialSessions(sessions) };
  const language = oneOf<SimLanguage>(o, 'language', field, LANGUAGES);
  if (language) host.language = language;
  const layout = oneOf<'narrow' | 'wide'>(o, 'layout', field, ['narrow', 'wide']);
  if (layout) host.layout = layout;
  const fault = o['fault'] === null ? undefined : oneOf<SimFault>(o, 'fault', field, FAULTS);
  if (fault) host.fault = fault;
  const logons = oneOf<SimLogons>(o, 'logons', field, LOGONS);
  if (logons) host.logons = logons;
  for (const key of ['latencyMs', 'faultAfterCalls', 'transientFailures'] as const) {
    const v = nonNegInt(o, key, field);
    if (v !== undefined) host[key] = v;
  }
  if (Array.isArray(o['messages'])) host.messages = o['messages'] as SimMessage[];
  return host;
}

/**
 * Validates a farm description (e.g. examples/farm.json) and fills in the sessions every host has.
 * @throws ValidationError naming the bad field, e.g. `hosts.rds1.sessions[0].state`.
 * @example parseFarm(JSON.parse(await readFile('farm.json', 'utf8')))
 */
export function parseFarm(json: unknown): Farm {
  const o = obj(json, 'farm');
  const localHost = str(o, 'localHost', 'farm', false) as string;
  const hostsObj = obj(o['hosts'], 'farm.hosts');
  const hosts: Record<string, SimHost> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(hostsObj)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(name)) bad(`hosts.${name}`, name, 'a host name');
    if (seen.has(name.toLowerCase())) bad(`hosts.${name}`, name, 'unique (case-insensitive)');
    seen.add(name.toLowerCase());
    hosts[name] = parseHost(value, `hosts.${name}`);
  }
  // The orchestrating machine always exists, even when the farm only lists remote hosts.
  if (!seen.has(localHost.toLowerCase())) hosts[localHost] = { sessions: withSpecialSessions([]) };
  const farm: Farm = { localHost, hosts };
  if (o['localNames'] !== undefined) {
    const names = o['localNames'];
    if (!Array.isArray(names)) bad('farm.localNames', names, 'an array of host names and addresses');
    farm.localNames = (names as unknown[]).map((name, i) => {
      try {
        return assertHost(name as string, `farm.localNames[${i}]`);
      } catch {
        return bad(`farm.localNames[${i}]`, name, 'a host name or address');
      }
    });
    // A name of the local host cannot also be another host: /server: with it reaches the local one.
    const other = farm.localNames.find((n) => n.toLowerCase() !== localHost.toLowerCase() && seen.has(n.toLowerCase()));
    if (other !== undefined) bad('farm.localNames', other, 'names of the local host, not of another farm host');
  }
  const date = str(o, 'callerShortDate', 'farm', true);
  if (date !== undefined) farm.callerShortDate = date;
  const time = str(o, 'callerShortTime', 'farm', true);
  if (time !== undefined) farm.callerShortTime = time;
  if (o['callerSessionId'] !== undefined && o['callerSessionId'] !== null) {
    const id = nonNegInt(o, 'callerSessionId', 'farm');
    if (id !== undefined) farm.callerSessionId = id;
  }
  return farm;
}
