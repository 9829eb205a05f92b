import { HostError, type HostErrorCode } from '../errors.js';
import type { LogonState } from '../run/transport.js';
import { withDeadline } from './deadline.js';
import { changeLogons } from './logon-change.js';
import type { HostScope } from './scope.js';
import { describeChangeFailure } from './failure.js';
import { unplannedHost } from './plan.js';
import { runHosts, collect } from './run.js';
import { normalizeHosts } from './hosts.js';
import type { LogonsHostReport, LogonsOptions, LogonsReport } from './types.js';

/**
 * Shows whether each host accepts new logons, or sets it (`enable` = allow-logons; `drain`,
 * `drain-until-restart`, `disable` = block-logons) and reads the state back. The state comes from the
 * transport's registry read (windows-facts.md), never from localized text; `unknown` when it cannot be read.
 * @example
 * await logons({ servers: ['rds01'], transport, mode: 'drain' });   // cordon
 * await logons({ servers: ['rds01'], transport, mode: 'enable' });  // uncordon
 * const { hosts } = await logons({ servers: ['rds01'], transport }); // status
 */
export async function logons(options: LogonsOptions): Promise<LogonsReport> {
  normalizeHosts(options.servers);
  const states = new Map<HostScope, LogonState>();
  const run = await runHosts(options, async (scope) => {
    const { ctx, host } = scope;
    if (unplannedHost(scope, options.plan) !== null) return;
    if (options.mode !== undefined) {
      await changeLogons(scope, {
        action: options.mode === 'enable' ? 'allow-logons' : 'block-logons',
        mode: options.mode,
        dryRun: options.dryRun === true,
        // Each verb names itself and the one fix `logons` has (it has no --block-logons: that is drain's).
        unsupported: () => `${options.mode === 'enable' ? 'allowing' : 'blocking'} logons on a remote host needs PowerShell remoting: use --transport powershell (change logon is local only)`,
      });
    }
    if (ctx.signal?.aborted) return;
    try {
      const lost = { command: 'logon state', exitCode: null, stdout: '', stderr: '', spawnError: null, durationMs: 0 };
      const read = await withDeadline(ctx, (opts) => ctx.transport.getLogons(host.address, opts), (timedOut) => ({
        state: 'unknown' as const,
        result: { ...lost, timedOut, aborted: !timedOut },
      }));
      states.set(scope, read.state);
      const failure = read.state === 'unknown' ? describeChangeFailure(host.name, read.result, 'reading the logon state', ctx.timeoutMs) : null;
      if (failure && options.mode === undefined) scope.fail(failure);
    } catch (error) {
      if (!(error instanceof HostError)) throw error;
      states.set(scope, 'unknown');
      if (options.mode === undefined) scope.fail({ code: error.code as HostErrorCode, message: error.message });
    }
  });
  const hosts: LogonsHostReport[] = run.scopes.map((s) => ({ host: s.host.name, state: states.get(s) ?? 'unknown' }));
  return { ...collect(run), hosts };
}
