import { buildLogoff } from '../commands/logoff.js';
import { buildMsg } from '../commands/msg.js';
import { ValidationError } from '../errors.js';
import type { DateOrder } from '../types.js';
import { assertHost } from '../validate.js';
import type { PsHost } from './ps-host.js';
import type { RunOptions, RunResult } from './runner.js';
import type { QueryKind, Transport } from './transport.js';
import { userSessions } from './wts-records.js';
import { createWtsSource, DEFAULT_MESSAGE_TITLE, type SourceChoice } from './wts-source.js';

const MAX_TITLE_LENGTH = 128;

/**
 * A message box title: 1 to 128 characters, none of them control characters (a title is one line).
 * @example assertMessageTitle('IT maintenance') // 'IT maintenance'
 */
export function assertMessageTitle(value: string, argument = 'title'): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TITLE_LENGTH || /[\u0000-\u001f\u007f-\u009f]/u.test(value)) {
    throw new ValidationError(argument, String(value), `invalid ${argument}: expected 1 to ${MAX_TITLE_LENGTH} characters on one line`);
  }
  return value;
}

// Optional on Transport while the local-host rule lands; a transport without it treats only null as local.
type Locate = (host: string | null) => Promise<string>;

/**
 * The PowerShell transport with sessions read as data: `query`, `logoff` and `message` go through the
 * Remote Desktop Services API (ps/WtsApi.cs) when `choice` is `wts`, or `auto` and the shell can use it;
 * everything else, and every fallback, is `inner` (the text tools). A host recognized as this machine uses
 * WTS_CURRENT_SERVER_HANDLE, the only handle on which the caller's own session is known. `messageTitle` titles
 * every WTS message box of this transport (default `session-logoff`; msg.exe shows none).
 * @example const transport = withWtsSource(createPowerShellTransport({ psHost }), psHost, 'auto')
 */
export function withWtsSource(inner: Transport, psHost: PsHost, choice: SourceChoice, settings: { messageTitle?: string } = {}): Transport {
  if (choice === 'text') return inner;
  const defaultTitle = assertMessageTitle(settings.messageTitle ?? DEFAULT_MESSAGE_TITLE, 'messageTitle');
  const wts = createWtsSource(psHost, choice);
  const locate = (inner as { locate?: Locate }).locate?.bind(inner);
  const serverOf = async (host: string | null): Promise<string> => {
    if (host === null) return '';
    const name = assertHost(host);
    return locate !== undefined && (await locate(name)) === 'this-machine' ? '' : name;
  };
  const label = (host: string | null): string => host ?? 'localhost';
  const handle = (server: string): string => (server === '' ? 'WTS_CURRENT_SERVER_HANDLE' : server);
  const noted = (result: RunResult): RunResult => {
    const warning = wts.takeWarning();
    return warning === undefined ? result : { ...result, warning };
  };

  return {
    ...inner,
    async query(host: string | null, kind: QueryKind, options?: RunOptions): Promise<RunResult> {
      const server = await serverOf(host);
      const command = `[powershell] WTSEnumerateSessionsExW(${handle(server)})`;
      const viaWts = await wts.run(label(host), { fn: 'wtsSessions', payload: { server }, command, api: 'WTSEnumerateSessionsExW' }, options);
      if (viaWts === null) return noted(await inner.query(host, kind, options));
      // quser lists user sessions only; query session lists every session.
      return kind === 'quser' && viaWts.sessions !== undefined ? { ...viaWts, sessions: userSessions(viaWts.sessions) } : viaWts;
    },

    async logoff(host: string | null, sessionId: number, options?: RunOptions): Promise<RunResult> {
      buildLogoff({ id: sessionId, server: host }); // the same validation as the text path, before anything runs
      const server = await serverOf(host);
      const command = `[powershell] WTSLogoffSession(${handle(server)}, ${sessionId}, bWait=TRUE)`;
      const viaWts = await wts.run(label(host), { fn: 'wtsLogoff', payload: { sessionId, server }, command, api: 'WTSLogoffSession' }, options);
      return viaWts ?? inner.logoff(host, sessionId, options);
    },

    // LOGON TIME's day/month order matters only to text: with WTS no culture read (and no reg.exe) is needed.
    async dateOrder(options?: RunOptions): Promise<DateOrder | null> {
      return (await wts.inUse(options)) ? null : inner.dateOrder(options);
    },

    async message(host: string | null, sessionId: number, text: string, options: RunOptions & { seconds?: number; title?: string } = {}): Promise<RunResult> {
      const { seconds, title, ...runOptions } = options;
      const spec = buildMsg({ id: sessionId, server: host, text, ...(seconds === undefined ? {} : { seconds }) });
      const shownTitle = title === undefined ? defaultTitle : assertMessageTitle(title);
      const server = await serverOf(host);
      const command = `[powershell] WTSSendMessageW(${handle(server)}, ${sessionId}, timeout=${seconds ?? 0}s)`;
      const payload = { sessionId, server, seconds: seconds ?? 0, title: shownTitle, text: spec.input };
      const viaWts = await wts.run(label(host), { fn: 'wtsMessage', payload, command, api: 'WTSSendMessageW' }, runOptions);
      return viaWts ?? inner.message(host, sessionId, text, seconds === undefined ? runOptions : { ...runOptions, seconds });
    },
  };
}
