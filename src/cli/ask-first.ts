import type { HostErrorRecord, HostRunOptions } from '../core/types.js';
import { PromptInterruptedError } from './confirm.js';
import { warn, type CliContext } from './context.js';
import type { CliApi, CliDeps } from './deps.js';
import type { ShownPlan } from './plan-view.js';
import { startProgress } from './progress.js';

/** Show, then ask: the dry run of the same operation, and how its report reads as a plan and a question. */
export interface AskFirst<Report> {
  dryRun: (api: CliApi, options: HostRunOptions) => Promise<Report>;
  show: (plan: Report) => ShownPlan;
}

export type Asked<Report> = { kind: 'confirmed'; plan: Report } | { kind: 'nothing'; plan: Report } | { kind: 'declined' };

/**
 * Runs the dry run (with progress), prints its plan on stderr followed by its warnings (e.g. who would lose
 * unsaved work), then asks. `nothing`: the plan has nothing to ask about (no match, every host failed), and
 * its report is the result. `declined`: "nothing done" was said. An interrupt while planning is an interrupt
 * at the prompt: nothing was done (exit 130). kubectl, terraform and apt show what they will change, then ask.
 */
export async function askFirst<Report extends { errors: readonly HostErrorRecord[]; interrupted?: boolean }>(
  deps: CliDeps,
  ctx: CliContext,
  api: CliApi,
  options: HostRunOptions,
  total: number,
  ask: AskFirst<Report>,
): Promise<Asked<Report>> {
  const warnings: string[] = [];
  const progress = startProgress(deps, ctx, total);
  let plan: Report;
  try {
    // Warnings wait for the plan: printed before it they would scroll away, and after the answer is too late.
    plan = await ask.dryRun(api, { ...options, onProgress: progress.update, onWarning: (message) => warnings.push(message) });
  } finally {
    progress.stop();
  }
  if (plan.interrupted === true || deps.signal?.aborted === true) throw new PromptInterruptedError('interrupted while planning');
  const shown = ask.show(plan);
  if (shown.question !== null) deps.stderr.write(shown.text);
  for (const message of warnings) warn(deps, ctx, message);
  if (shown.question === null) return { kind: 'nothing', plan };
  if (!(await deps.confirm(`${shown.question} [y/N] `))) {
    deps.stderr.write('session-logoff: nothing done.\n');
    return { kind: 'declined' };
  }
  return { kind: 'confirmed', plan };
}
