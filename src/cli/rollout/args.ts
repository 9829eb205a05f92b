import { resolveMaxUnavailable } from '../../core/rollout/budget.js';
import { assertNotifyUrl } from '../../core/rollout/notify.js';
import { readStateFile, type RolloutStateDoc } from '../../core/rollout/state-file.js';
import type { OnFailure, RolloutOptions } from '../../core/rollout/types.js';
import type { BlockLogonsMode } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import { assertMessageText, MAX_WAIT_MS, parseDuration } from '../../validate.js';
import { bool, int, str, strList, type Args } from '../args.js';
import type { CliContext } from '../context.js';
import { transportOf } from '../host-run.js';

/** Options that shape the plan: a resumed rollout keeps the ones in its state file. */
const PLAN_OPTIONS = ['server', 'servers-file', 'shard', 'max-unavailable', 'min-serving', 'canary', 'on-failure', 'block-logons', 'message', 'cancel-message', 'grace', 'warn-at', 'verify-timeout', 'wait-back', 'exec-timeout', 'lease'];
const MAX_LEASE_MS = 30 * 86_400_000;

/** Everything `rollout` reads from its command line, validated, before any host or file is touched. */
export interface RolloutCliArgs {
  /** Library options (without transport, servers, maintain and the run options of resolveHostPlan). */
  options: Omit<RolloutOptions, 'transport' | 'maintain'>;
  /** The maintenance command: everything after `--`. Empty on a resume that did not repeat it. */
  command: string[];
  resumed: RolloutStateDoc | null;
  reportFile: string | undefined;
  logDir: string | undefined;
  notifyUrl: string | undefined;
  farmStateFile: string | undefined;
  dryRun: boolean;
}

function duration(args: Args, key: string, max = MAX_WAIT_MS): number | undefined {
  const text = str(args, key);
  return text === undefined ? undefined : parseDuration(text, `--${key}`, { max });
}

function file(args: Args, key: string): string | undefined {
  const value = str(args, key);
  if (value === '') throw new ValidationError(`--${key}`, '', `invalid --${key} "": expected a path`);
  return value;
}

/** The argv after the first `--` (yargs cannot tell it from our own positionals). */
export function commandAfterDashes(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--');
  return at < 0 ? null : argv.slice(at + 1);
}

export async function parseRolloutArgs(ctx: CliContext, args: Args): Promise<RolloutCliArgs> {
  const after = commandAfterDashes(ctx.argv);
  const stray = (Array.isArray(args['_']) ? (args['_'] as unknown[]).slice(1).map(String) : []).length - (after?.length ?? 0);
  if (stray > 0) throw new ValidationError('command', '', 'put the maintenance command after --: session-logoff rollout -s <host> [options] -- <command> [args...]');
  const command = after ?? [];
  const resumeFrom = file(args, 'resume');
  const stateFile = file(args, 'state');
  const options: RolloutCliArgs['options'] = {};
  let resumed: RolloutStateDoc | null = null;
  if (resumeFrom !== undefined) {
    if (stateFile !== undefined) throw new ValidationError('--state', stateFile, 'invalid --state with --resume: a resumed rollout keeps writing its own state file');
    const given = PLAN_OPTIONS.find((key) => args[key] !== undefined && args[key] !== false);
    if (given) throw new ValidationError(`--${given}`, str(args, given) ?? '', `--${given} cannot change on --resume: the plan comes from ${JSON.stringify(resumeFrom)} (only --max-failed may)`);
    resumed = await readStateFile(resumeFrom, '--resume');
    if (command.length > 0 && resumed.command !== null && JSON.stringify(command) !== JSON.stringify(resumed.command)) {
      throw new ValidationError('command', command.join(' '), `the rollout in ${JSON.stringify(resumeFrom)} runs ${JSON.stringify(resumed.command.join(' '))}: resume it without a command after --, or with that one`);
    }
    if (resumed.command === null && command.length === 0) throw new ValidationError('command', '', `the rollout in ${JSON.stringify(resumeFrom)} recorded no command: give it after --`);
    options.resumeFrom = resumeFrom;
  } else {
    if (command.length === 0) throw new ValidationError('command', '', 'rollout needs the maintenance command after --: session-logoff rollout -s <host> [options] -- <command> [args...]');
    if (stateFile !== undefined) options.stateFile = stateFile;
    const maxUnavailable = str(args, 'max-unavailable');
    // Checked here against a nominal count; the percentage is resolved against the real host count later.
    if (maxUnavailable !== undefined) resolveMaxUnavailable(maxUnavailable, 100, '--max-unavailable'), (options.maxUnavailable = maxUnavailable);
    for (const [key, name] of [['min-serving', 'minServing'], ['canary', 'canary']] as const) {
      const n = int(args, key, `--${key}`, { min: 0, max: 100_000 });
      if (n !== undefined) options[name] = n;
    }
    const onFailure = str(args, 'on-failure');
    if (onFailure !== undefined) options.onFailure = onFailure as OnFailure;
    const block = str(args, 'block-logons');
    if (block !== undefined) options.blockLogons = block as BlockLogonsMode;
    const message = str(args, 'message');
    if (message !== undefined) options.message = assertMessageText(message, '--message');
    const cancel = str(args, 'cancel-message');
    if (cancel !== undefined) options.cancelMessage = assertMessageText(cancel, '--cancel-message');
    options.graceMs = duration(args, 'grace') ?? 600_000;
    const marks = strList(args, 'warn-at').flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
    if (marks.length > 0) options.warnAtMs = marks.map((m) => parseDuration(m.trim(), '--warn-at', { max: MAX_WAIT_MS }));
    const timed: [string, 'verifyTimeoutMs' | 'waitBackMs' | 'maintainTimeoutMs'][] = [['verify-timeout', 'verifyTimeoutMs'], ['wait-back', 'waitBackMs'], ['exec-timeout', 'maintainTimeoutMs']];
    for (const [key, name] of timed) {
      const ms = duration(args, key);
      if (ms !== undefined) options[name] = ms;
    }
    if (options.maintainTimeoutMs === 0) throw new ValidationError('--exec-timeout', '0', 'invalid --exec-timeout "0": a maintenance needs at least 1 second');
    const lease = duration(args, 'lease', MAX_LEASE_MS);
    if (lease !== undefined) options.leaseMs = lease;
    options.command = command;
  }
  const maxFailed = int(args, 'max-failed', '--max-failed', { min: 0, max: 100_000 });
  if (maxFailed !== undefined) options.maxFailed = maxFailed;
  const stopAfter = duration(args, 'stop-after');
  if (stopAfter !== undefined) options.stopAfterMs = stopAfter;
  if (bool(args, 'rerun-interrupted')) {
    if (resumeFrom === undefined) throw new ValidationError('--rerun-interrupted', 'true', '--rerun-interrupted only applies with --resume <file>');
    options.rerunInterrupted = true;
  }
  const notifyUrl = str(args, 'notify-url');
  if (notifyUrl !== undefined) assertNotifyUrl(notifyUrl, '--notify-url');
  const farmStateFile = file(args, 'farm-state');
  if (farmStateFile !== undefined && transportOf(args) !== 'simulated') throw new ValidationError('--farm-state', farmStateFile, 'invalid --farm-state: it is only used with --transport simulated');
  const dryRun = bool(args, 'dry-run');
  if (dryRun) options.dryRun = true;
  return { options, command: command.length > 0 ? command : (resumed?.command ?? []), resumed, reportFile: file(args, 'report'), logDir: file(args, 'log-dir'), notifyUrl, farmStateFile, dryRun };
}
