import { buildChangeLogon } from '../commands/change-logon.js';
import { buildLogoff } from '../commands/logoff.js';
import { buildMsg } from '../commands/msg.js';
import { buildQuerySession } from '../commands/query-session.js';
import { buildQuser } from '../commands/quser.js';
import { logonStateFrom, readRegDword } from '../commands/reg.js';
import type { SystemContext } from '../commands/system-path.js';
import { dateOrderFromPattern } from '../parse/date-order.js';
import type { CommandSpec, DateOrder } from '../types.js';
import { assertHost } from '../validate.js';
import { transportLocalHost, type LocalHostRule, type Locality } from './local-host.js';
import { DEFAULT_PS_START_TIMEOUT_MS, type PsEnvelope, type PsHost } from './ps-host.js';
import type { RunOptions, RunResult } from './runner.js';
import type { LogonMode, LogonState, QueryKind, Transport, TransportName } from './transport.js';

export interface PowerShellTransportOptions {
  psHost: PsHost;
  /**
   * Which host names are this machine (change logon and registry reads run locally, not over WinRM, only for
   * those; the core protects the caller's session on them). Default: this machine's names and interface
   * addresses, and names resolving to them (DNS, bounded).
   */
  localHost?: LocalHostRule;
  /** Instead of localHost: exactly these names and addresses are this machine, no name resolution (tests). */
  localNames?: readonly string[];
  name?: TransportName;
  /** How long a call may wait for a ready shell before its timeout starts; default the host's start limit (30 s). */
  startLimitMs?: number;
}

// Display only (RunResult.command): the equivalent exe call, so logs read the same for both transports.
const DISPLAY: SystemContext = { platform: 'linux', env: {} };

function display(spec: CommandSpec): string {
  return `[powershell] ${[spec.file, ...spec.args].join(' ')}`;
}

function toRunResult(envelope: PsEnvelope, command: string): RunResult {
  const stderr = envelope.error === null ? envelope.stderr : [envelope.stderr.trimEnd(), envelope.error].filter(Boolean).join('\n');
  return {
    command,
    exitCode: envelope.exitCode,
    stdout: envelope.stdout,
    stderr,
    timedOut: envelope.timedOut,
    aborted: envelope.aborted,
    spawnError: envelope.spawnError,
    durationMs: envelope.durationMs,
  };
}

function subResult(data: unknown, key: string): { exitCode: number | null; stdout: string } {
  const part = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
  if (typeof part !== 'object' || part === null) return { exitCode: null, stdout: '' };
  const { exitCode, stdout } = part as Record<string, unknown>;
  return { exitCode: typeof exitCode === 'number' ? exitCode : null, stdout: typeof stdout === 'string' ? stdout : '' };
}

/**
 * The `--transport powershell` Transport: the same operations through ps/SessionLogoff.ps1 in a persistent
 * PowerShell. Every value is validated by the exe builders first (they also give the display command), then
 * sent as base64 JSON data. Calls run side by side, up to the PsHost's pool size. Remote `setLogons` uses WinRM (Invoke-Command).
 * @example const transport = createPowerShellTransport({ psHost: createPsHost() })
 */
export function createPowerShellTransport(options: PowerShellTransportOptions): Transport {
  const { psHost } = options;
  const rule = transportLocalHost(options);
  const locate = async (host: string | null): Promise<Locality> => (host === null ? 'this-machine' : rule.locate(assertHost(host)));
  // '' = run here. Only a name that certainly is this machine: `maybe-this-machine` goes through WinRM to that name.
  const remoteOf = async (host: string | null): Promise<string> => (host === null || (await locate(host)) === 'this-machine' ? '' : host);
  let dateOrderPromise: Promise<DateOrder | null> | undefined;
  const server = (host: string | null): string => (host === null ? '' : assertHost(host));

  return {
    name: options.name ?? 'powershell',
    startLimitMs: options.startLimitMs ?? DEFAULT_PS_START_TIMEOUT_MS,
    locate,

    async query(host: string | null, kind: QueryKind, runOptions?: RunOptions): Promise<RunResult> {
      const spec = kind === 'quser' ? buildQuser({ server: host }, DISPLAY) : buildQuerySession({ server: host }, DISPLAY);
      return toRunResult(await psHost.invoke('query', { kind, server: server(host) }, runOptions), display(spec));
    },

    async logoff(host: string | null, sessionId: number, runOptions?: RunOptions): Promise<RunResult> {
      const spec = buildLogoff({ id: sessionId, server: host }, DISPLAY);
      return toRunResult(await psHost.invoke('logoff', { sessionId, server: server(host) }, runOptions), display(spec));
    },

    async message(host: string | null, sessionId: number, text: string, messageOptions: RunOptions & { seconds?: number } = {}): Promise<RunResult> {
      const { seconds, ...runOptions } = messageOptions;
      const spec = buildMsg({ id: sessionId, server: host, text, ...(seconds === undefined ? {} : { seconds }) }, DISPLAY);
      const payload = { sessionId, server: server(host), seconds: seconds ?? 0, text: spec.input };
      return toRunResult(await psHost.invoke('message', payload, runOptions), display(spec));
    },

    async setLogons(host: string | null, mode: LogonMode, runOptions?: RunOptions): Promise<RunResult> {
      const spec = buildChangeLogon(mode, DISPLAY);
      const remote = await remoteOf(host);
      const command = remote === '' ? display(spec) : `[powershell] Invoke-Command -ComputerName ${remote} { change logon ${spec.args[1] ?? ''} }`;
      return toRunResult(await psHost.invoke('setLogons', { mode, server: remote }, runOptions), command);
    },

    async getLogons(host: string | null, runOptions?: RunOptions): Promise<{ state: LogonState; result: RunResult }> {
      const remote = await remoteOf(host);
      const envelope = await psHost.invoke('getLogons', { server: remote }, runOptions);
      const result = toRunResult(envelope, `[powershell] reg query ${remote === '' ? '' : `\\\\${remote}\\`}HKLM\\... (logon state)`);
      if (envelope.exitCode !== 0) return { state: 'unknown', result };
      const state = logonStateFrom({
        drainMode: readRegDword(subResult(envelope.data, 'drain'), 'TSServerDrainMode'),
        winStationsDisabled: readRegDword(subResult(envelope.data, 'disabled'), 'WinStationsDisabled'),
      });
      return { state, result };
    },

    dateOrder(runOptions?: RunOptions): Promise<DateOrder | null> {
      dateOrderPromise ??= psHost.invoke('dateOrder', {}, runOptions).then((envelope) => {
        if (envelope.timedOut || envelope.aborted) dateOrderPromise = undefined;
        return typeof envelope.data === 'string' ? dateOrderFromPattern(envelope.data) : null;
      });
      return dateOrderPromise;
    },

    dispose(): Promise<void> {
      return psHost.dispose();
    },
  };
}
