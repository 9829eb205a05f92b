import { isIP } from 'node:net';
import os from 'node:os';
import { buildChangeLogon } from '../commands/change-logon.js';
import { buildLogoff } from '../commands/logoff.js';
import { buildMsg } from '../commands/msg.js';
import { buildQuerySession } from '../commands/query-session.js';
import { buildQuser } from '../commands/quser.js';
import { buildDrainModeQuery, buildShortDateQuery, buildWinStationsDisabledQuery, logonStateFrom, parseRegValue, readRegDword } from '../commands/reg.js';
import type { SystemContext } from '../commands/system-path.js';
import { HostError } from '../errors.js';
import { dateOrderFromPattern } from '../parse/date-order.js';
import type { DateOrder } from '../types.js';
import { assertHost } from '../validate.js';
import type { RemoteShell, RunOptions, RunResult, Runner } from './runner.js';
import type { LogonMode, LogonState, QueryKind, Transport, TransportName } from './transport.js';

export interface ExecTransportOptions {
  runner: Runner;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  arch?: string;
  name?: TransportName;
  /** Names that mean "this machine" besides null/localhost; default os.hostname() and COMPUTERNAME. */
  localNames?: readonly string[];
  /** Runs local-only programs (change logon) on remote hosts; without one, blocking logons remotely is unsupported. */
  remoteShell?: RemoteShell;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '.']);

/** True when `host` is this machine: null, a loopback name, or one of our own names (short or FQDN). */
export function isLocalHost(host: string | null, localNames: readonly string[]): boolean {
  if (host === null) return true;
  const name = host.toLowerCase();
  if (LOOPBACK.has(name)) return true;
  const short = (value: string): string => value.split('.')[0] ?? value;
  return localNames.some((local) => {
    const own = local.toLowerCase();
    if (own === '') return false;
    if (name === own) return true;
    // A bare "rds01" is our own NetBIOS-style name when our FQDN starts with it. The reverse is NOT safe:
    // os.hostname() and COMPUTERNAME are bare on Windows, and "rds01.other.example" may be another machine;
    // taking it for this one would run change logon HERE and then drain a host whose logons stay open.
    return isIP(name) === 0 && !name.includes('.') && short(name) === short(own);
  });
}

/**
 * The default transport: each operation is one program run through the Runner with an argv from the pure
 * builders. Hosts are re-validated by the builders, so nothing unvalidated reaches a process.
 * @example const transport = createExecTransport({ runner: createExecaRunner() }); await transport.query('rds01', 'quser')
 */
export function createExecTransport(options: ExecTransportOptions): Transport {
  const { runner } = options;
  const env = options.env ?? process.env;
  const context: SystemContext = { platform: options.platform ?? process.platform, env, ...(options.arch === undefined ? {} : { arch: options.arch }) };
  const localNames = options.localNames ?? [os.hostname(), env.COMPUTERNAME ?? ''];
  let dateOrderPromise: Promise<DateOrder | null> | undefined;

  // change logon is local only: a remote host needs a remote shell (PowerShell remoting, the farm's stand-in).
  const assertCanSetLogons = async (host: string | null): Promise<void> => {
    if (host === null || isLocalHost(assertHost(host), localNames) || options.remoteShell) return;
    throw new HostError('ERR_UNSUPPORTED_OPERATION', host, 'blocking logons on a remote host needs --transport powershell (change logon is local only), or --block-logons none');
  };

  return {
    name: options.name ?? 'exec',

    async query(host: string | null, kind: QueryKind, runOptions?: RunOptions): Promise<RunResult> {
      const spec = kind === 'quser' ? buildQuser({ server: host }, context) : buildQuerySession({ server: host }, context);
      return runner.run(spec, runOptions);
    },

    async logoff(host: string | null, sessionId: number, runOptions?: RunOptions): Promise<RunResult> {
      return runner.run(buildLogoff({ id: sessionId, server: host }, context), runOptions);
    },

    async message(host: string | null, sessionId: number, text: string, messageOptions: RunOptions & { seconds?: number } = {}): Promise<RunResult> {
      const { seconds, ...runOptions } = messageOptions;
      const spec = buildMsg({ id: sessionId, server: host, text, ...(seconds === undefined ? {} : { seconds }) }, context);
      return runner.run(spec, runOptions);
    },

    assertCanSetLogons,

    async setLogons(host: string | null, mode: LogonMode, runOptions?: RunOptions): Promise<RunResult> {
      // The same decision a dry run asks for: what it predicts is what happens here.
      await assertCanSetLogons(host);
      const spec = buildChangeLogon(mode, context);
      if (host !== null && options.remoteShell && !isLocalHost(assertHost(host), localNames)) return options.remoteShell.run(host, spec, runOptions);
      return runner.run(spec, runOptions);
    },

    async getLogons(host: string | null, runOptions?: RunOptions): Promise<{ state: LogonState; result: RunResult }> {
      const server = host === null || isLocalHost(assertHost(host), localNames) ? null : host;
      const drain = await runner.run(buildDrainModeQuery({ server }, context), runOptions);
      const disabled = await runner.run(buildWinStationsDisabledQuery({ server }, context), runOptions);
      const state = logonStateFrom({ drainMode: readRegDword(drain, 'TSServerDrainMode'), winStationsDisabled: readRegDword(disabled, 'WinStationsDisabled') });
      return { state, result: drain.exitCode !== 0 ? drain : disabled };
    },

    dateOrder(runOptions?: RunOptions): Promise<DateOrder | null> {
      // Cached: the caller's culture does not change during a run. A timed-out or aborted read is not cached.
      dateOrderPromise ??= runner.run(buildShortDateQuery(context), runOptions).then(
        (result) => {
          if (result.timedOut || result.aborted) dateOrderPromise = undefined;
          const value = result.exitCode === 0 ? parseRegValue(result.stdout, 'sShortDate') : null;
          return value === null ? null : dateOrderFromPattern(value.data);
        },
        () => {
          dateOrderPromise = undefined;
          return null;
        },
      );
      return dateOrderPromise;
    },

    async dispose(): Promise<void> {
      // Nothing persistent: every call is its own process.
    },
  };
}
