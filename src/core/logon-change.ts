import { HostError, type HostErrorCode } from '../errors.js';
import type { LogonMode } from '../run/transport.js';
import { callHost } from './deadline.js';
import { describeChangeFailure } from './failure.js';
import type { HostScope } from './scope.js';

export interface LogonChange {
  action: 'block-logons' | 'allow-logons';
  mode: LogonMode;
  dryRun: boolean;
  /** The reason reported when the transport cannot change this host (each command names its own fix). */
  unsupported: (error: HostError) => string;
}

/**
 * Runs `change logon` on one host, or plans it in a dry run, and records the action. Both ask the transport
 * first whether it can change this host (`assertCanSetLogons`, the check its setLogons makes), so a dry run
 * fails exactly the hosts the real run would fail, with the same records. Returns the failure reason, or null.
 */
export async function changeLogons(scope: HostScope, change: LogonChange): Promise<string | null> {
  const { ctx, host } = scope;
  const base = { sessionId: null, username: null, action: change.action };
  try {
    await ctx.transport.assertCanSetLogons?.(host.address);
    if (change.dryRun) {
      scope.act({ ...base, status: 'planned', reason: `mode ${change.mode}` });
      return null;
    }
    const result = await callHost(ctx, 'change logon', (opts) => ctx.transport.setLogons(host.address, change.mode, opts));
    const failure = describeChangeFailure(host.name, result, 'change logon', ctx.timeoutMs);
    if (!failure) {
      scope.act({ ...base, status: 'done', reason: `mode ${change.mode}` });
      return null;
    }
    scope.act({ ...base, status: 'failed', reason: failure.message });
    scope.fail(failure);
    return failure.message;
  } catch (error) {
    if (!(error instanceof HostError) || error.code !== 'ERR_UNSUPPORTED_OPERATION') throw error;
    const reason = change.unsupported(error);
    // Nothing was attempted on the host: no audit event.
    scope.act({ ...base, status: 'failed', reason }, false);
    scope.fail({ code: error.code as HostErrorCode, message: reason });
    return reason;
  }
}
