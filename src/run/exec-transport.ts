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
import { localityByName, transportLocalHost, type LocalHostRule, type Locality } from './local-host.js';
import type { RemoteShell, RunOptions, RunResult, Runner } from './runner.js';
import type { LogonMode, LogonState, QueryKind, Transport, TransportName } from './transport.js';

export interface ExecTransportOptions {
  runner: Runner;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  arch?: string;
  name?: TransportName;
  /**
   * Which host names are this machine (change logon and registry reads run locally only for those; the core
   * protects the caller's session on them). Default: this machine's names and interface addresses, and names
   * resolving to them (DNS, bounded).
   */
  localHost?: LocalHostRule;
  /** Instead of localHost: exactly these names and addresses are this machine, no name resolution (tests). */
  localNames?: readonly string[];
  /** Runs local-only programs (change logon) on remote hosts; without one, blocking logons remotely is unsupported. */
  remoteShell?: RemoteShell;
}

/**
 * True when `host` is this machine by its name alone (null, a loopback name or address, one of `localNames`,
 * or a bare name our FQDN starts with); no name resolution. The transports use the full rule (local-host.ts).
 */
export function isLocalHost(host: string | null, localNames: readonly string[]): boolean {
  return localityByName(host, localNames) === 'this-machine';
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
  const rule = transportLocalHost({ localHost: options.localHost, localNames: options.localNames, env });
  let dateOrderPromise: Promise<DateOrder | null> | undefined;

  const locate = async (host: string | null): Promise<Locality> => (host === null ? 'this-machine' : rule.locate(assertHost(host)));
  // Only a name that certainly is this machine runs a local-only program here: `maybe-this-machine` (an
  // unresolvable name with our first label, a VIP) protects the caller but would block logons on the wrong host.
  const isHere = async (host: string | null): Promise<boolean> => (await locate(host)) === 'this-machine';
  // change logon is local only: a remote host needs a remote shell (PowerShell remoting, the farm's stand-in).
  const assertSupported = (host: string | null, here: boolean): void => {
    if (host === null || here || options.remoteShell) return;
    // Neutral on purpose: it serves blocking and allowing alike; each command words its own fix (logons.ts, drain-steps.ts).
    throw new HostError('ERR_UNSUPPORTED_OPERATION', host, 'change logon on a remote host needs a remote shell (change logon is local only): use the PowerShell transport');
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

    locate,

    async assertCanSetLogons(host: string | null): Promise<void> {
      assertSupported(host, await isHere(host));
    },

    async setLogons(host: string | null, mode: LogonMode, runOptions?: RunOptions): Promise<RunResult> {
      // The same decision a dry run asks for: what it predicts is what happens here.
      const here = await isHere(host);
      assertSupported(host, here);
      const spec = buildChangeLogon(mode, context);
      if (host !== null && !here && options.remoteShell) return options.remoteShell.run(host, spec, runOptions);
      return runner.run(spec, runOptions);
    },

    async getLogons(host: string | null, runOptions?: RunOptions): Promise<{ state: LogonState; result: RunResult }> {
      const server = (await isHere(host)) ? null : host;
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
