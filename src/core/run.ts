import { HostError, type HostErrorCode } from '../errors.js';
import { createContext, type RunContext } from './context.js';
import { HostScope } from './scope.js';
import { normalizeHosts } from './hosts.js';
import { runPool } from './pool.js';
import type { ActionRecord, HostErrorRecord, HostRunOptions } from './types.js';

export interface HostRun {
  scopes: HostScope[];
  /** Hosts never started because the run was aborted. */
  notStarted: HostScope[];
  interrupted: boolean;
  ctx: RunContext;
}

/**
 * The one multi-host loop every operation uses: validates the hosts and run options (throws before anything
 * runs), then runs `perHost` with bounded concurrency. A host whose work throws gets an error record instead
 * of aborting the run; a host never started because of an abort gets ERR_ABORTED, so every host has a result.
 */
export async function runHosts(options: HostRunOptions, perHost: (scope: HostScope) => Promise<void>): Promise<HostRun> {
  const hosts = normalizeHosts(options.servers);
  const ctx = createContext(options);
  const scopes = hosts.map((host) => new HostScope(ctx, host));
  const outcomes = await runPool(
    scopes,
    async (scope) => {
      try {
        await perHost(scope);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        const code: HostErrorCode = error instanceof HostError ? (error.code as HostErrorCode) : 'ERR_UNEXPECTED_OUTPUT';
        scope.fail({ code, message: error instanceof HostError ? error.message : `${scope.host.name}: ${error.message}` });
      }
      return scope;
    },
    (scope) => scope.failed,
    { concurrency: ctx.concurrency, signal: options.signal, onProgress: ctx.progress },
  );
  const notStarted: HostScope[] = [];
  outcomes.forEach((outcome, i) => {
    const scope = scopes[i];
    if (!outcome.started && scope) {
      scope.fail({ code: 'ERR_ABORTED', message: `${scope.host.name}: not started, the run was interrupted` });
      notStarted.push(scope);
    }
  });
  return { scopes, notStarted, interrupted: options.signal?.aborted === true, ctx };
}

export function collect(run: HostRun): { actions: ActionRecord[]; errors: HostErrorRecord[]; interrupted: boolean } {
  return {
    actions: run.scopes.flatMap((s) => s.actions),
    errors: run.scopes.flatMap((s) => s.errors),
    interrupted: run.interrupted,
  };
}
