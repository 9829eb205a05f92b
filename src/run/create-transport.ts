import { ValidationError } from '../errors.js';
import type { Transport, TransportName } from './transport.js';
import type { SourceChoice } from './wts-source.js';

// Kept here rather than imported, so loading this module never loads the PowerShell host.
const DEFAULT_PS_POOL_SIZE = 16;

export interface CreateTransportOptions {
  /** Farm description (JSON) for `simulated`; required there. */
  farmFile?: string;
  /**
   * `simulated` only: keep the farm's state in this file (created from `farmFile` if missing), so it persists
   * between runs and other processes (a maintenance command restarting a host) can change it. Default:
   * $SESSION_LOGOFF_FARM_STATE, so every command of a rehearsal (logons, list, drain) can share one farm state.
   */
  farmStateFile?: string;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  /** pwsh / powershell.exe for `powershell`; default: SESSION_LOGOFF_PWSH, else the ps-host default. */
  pwshPath?: string;
  /**
   * Hosts the run works on at once. The PowerShell transport sizes its runspace pool to match (plus one for
   * the shared date-order read, at most 63), so no host's call waits behind another's. Default 16.
   */
  concurrency?: number;
  /**
   * How `powershell` reads sessions: `auto` (default) through the WTS API when the shell can use it, else the
   * text tools with one warning; `wts` only through WTS (a host fails when the shell cannot use it); `text`
   * never. The other transports read text: `wts` there is invalid.
   */
  source?: SourceChoice;
  /** The title of WTS message boxes (default `session-logoff`); the text tools have none. */
  messageTitle?: string;
}

/**
 * Builds the named transport, importing only its own modules (execa, the PowerShell host and the farm engine
 * are never loaded for a command that does not use them). Nothing is spawned here: the PowerShell host
 * starts on its first call.
 *
 * @example
 * const transport = await createTransport('simulated', { farmFile: 'examples/farm.json' });
 * try { await transport.query(null, 'quser'); } finally { await transport.dispose(); }
 */
export async function createTransport(name: TransportName, options: CreateTransportOptions = {}): Promise<Transport> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  if (options.source === 'wts' && name !== 'powershell') {
    throw new ValidationError('--source', 'wts', `invalid --source wts: sessions are read through the WTS API only with --transport powershell (not ${name})`);
  }
  switch (name) {
    case 'exec': {
      const [{ createExecaRunner }, { createExecTransport }] = await Promise.all([import('./execa-runner.js'), import('./exec-transport.js')]);
      return createExecTransport({ runner: createExecaRunner({ platform, env }), platform, env });
    }
    case 'powershell': {
      const [{ createPsHost }, { createPowerShellTransport }, { withWtsSource }] = await Promise.all([import('./ps-host.js'), import('./ps-transport.js'), import('./wts-transport.js')]);
      const pwshPath = options.pwshPath ?? env['SESSION_LOGOFF_PWSH'];
      const poolSize = Math.min(63, (options.concurrency ?? DEFAULT_PS_POOL_SIZE) + 1);
      const psHost = createPsHost({ platform, env, poolSize, ...(pwshPath ? { pwshPath } : {}) });
      return withWtsSource(createPowerShellTransport({ psHost }), psHost, options.source ?? 'auto', options.messageTitle === undefined ? {} : { messageTitle: options.messageTitle });
    }
    case 'simulated': {
      if (!options.farmFile) throw new ValidationError('--farm', '', 'the simulated transport needs a farm file (--farm <file>), e.g. examples/farm.json');
      const [{ loadFarmFile }, { createSimulatedRunner }, { farmLocalHost }, { createExecTransport }] = await Promise.all([
        import('../sim/farm-file.js'),
        import('../sim/simulated-runner.js'),
        import('../sim/local-names.js'),
        import('./exec-transport.js'),
      ]);
      const farm = await loadFarmFile(options.farmFile);
      const stateFile = options.farmStateFile ?? (env['SESSION_LOGOFF_FARM_STATE'] || undefined);
      const store = stateFile ? (await import('../sim/state-file.js')).createFarmStateFile(stateFile, farm) : undefined;
      const runner = createSimulatedRunner(farm, store ? { store } : {});
      // The farm engine prints what real Windows prints, so the exec transport's builders and parsers run
      // unchanged; its remote shell stands in for PowerShell remoting, so a rehearsed drain blocks logons. Which
      // names are "this machine" follows the farm (its local host), not the machine the rehearsal runs on.
      return createExecTransport({ runner, remoteShell: runner.remoteShell, platform: 'linux', env, name: 'simulated', localHost: farmLocalHost(farm) });
    }
    default: {
      const unknown: never = name;
      throw new ValidationError('--transport', String(unknown), `invalid --transport ${JSON.stringify(unknown)}: expected exec, powershell or simulated`);
    }
  }
}
