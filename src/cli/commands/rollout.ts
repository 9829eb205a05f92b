import type { Argv, CommandModule } from 'yargs';
import type { Args } from '../args.js';
import type { CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { changeOptions, EXIT_CODES_EPILOGUE, hostOptions, outputOptions } from '../options.js';
import { runRollout } from '../rollout/run.js';
import { runRolloutStatus } from '../rollout/status.js';

const G = 'Rollout:';
const STATE = 'State and resume:';

function rolloutOptions<T>(y: Argv<T>): Argv<T> {
  // No yargs defaults: a resumed rollout must tell an option given from one left out (defaults are in --help).
  return y
    .option('max-unavailable', { type: 'string', requiresArg: true, group: G, describe: 'Hosts out of service at once: a number or a percentage (10%)', defaultDescription: '1' })
    .option('min-serving', { type: 'string', requiresArg: true, group: G, describe: 'Hosts that keep accepting logons at every moment', defaultDescription: '0' })
    .option('canary', { type: 'string', requiresArg: true, group: G, describe: 'The first wave is the first n hosts alone; a failure there stops the rollout', defaultDescription: '1' })
    .option('max-failed', { type: 'string', requiresArg: true, group: G, describe: 'More failed hosts than this stop the rollout (no new wave)', defaultDescription: '0' })
    .option('on-failure', { type: 'string', requiresArg: true, choices: ['keep', 'restore'], group: G, describe: 'A failed host keeps its logons blocked, or gets them back', defaultDescription: 'keep' })
    .option('block-logons', { type: 'string', requiresArg: true, choices: ['drain', 'until-restart', 'none'], group: G, describe: 'change logon /drain, /drainuntilrestart, or leave logons alone', defaultDescription: 'drain' })
    .option('message', { alias: 'm', type: 'string', requiresArg: true, group: G, describe: 'Warning text; {minutes}, {deadline} (HH:MM) and {host} are filled in' })
    .option('cancel-message', { type: 'string', requiresArg: true, group: G, describe: 'Sent to warned users when the rollout is interrupted' })
    .option('grace', { type: 'string', requiresArg: true, group: G, describe: 'Time users get before the logoff; at most 24h', defaultDescription: '10m' })
    .option('warn-at', { type: 'string', requiresArg: true, group: G, describe: 'Warn again at these times before the deadline, e.g. 30m,10m,5m,1m' })
    .option('verify-timeout', { type: 'string', requiresArg: true, group: G, describe: 'How long to re-query until a host is empty', defaultDescription: '1m' })
    .option('exec-timeout', { type: 'string', requiresArg: true, group: G, describe: 'The maintenance command is killed (its process group) after this', defaultDescription: '1h' })
    .option('wait-back', { type: 'string', requiresArg: true, group: G, describe: 'After the command, how long the host may take to answer again (reboot)', defaultDescription: '30m' })
    .option('log-dir', { type: 'string', requiresArg: true, group: G, describe: "Write each host's command output to <dir>/<host>.log instead of stderr" })
    .option('notify-url', { type: 'string', requiresArg: true, group: G, describe: 'POST one JSON event per transition to this URL (never slows the rollout)' })
    .option('report', { type: 'string', requiresArg: true, group: G, describe: 'Also write the JSON report to this file' })
    .option('state', { type: 'string', requiresArg: true, group: STATE, describe: "Save the plan and every host's phase to this file" })
    .option('resume', { type: 'string', requiresArg: true, group: STATE, describe: 'Continue the rollout saved in this file (no command needed)' })
    .option('rerun-interrupted', { type: 'boolean', group: STATE, describe: 'With --resume: run again a maintenance that started but never reported' })
    .option('stop-after', { type: 'string', requiresArg: true, group: STATE, describe: 'Start no new wave after this long; exit with the state saved' })
    .option('lease', { type: 'string', requiresArg: true, group: STATE, describe: 'A host blocked longer than this is named by rollout status', defaultDescription: '12h' })
    .option('farm-state', { type: 'string', requiresArg: true, group: 'Run:', describe: "--transport simulated: keep the farm's state in this file between runs" });
}

/** `session-logoff rollout … -- <command>` and `session-logoff rollout status <file>`. */
export function rolloutCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'rollout',
    describe: 'Rolling maintenance: drain a few hosts at a time, run a command on each, give logons back',
    builder: (y) =>
      rolloutOptions(changeOptions(outputOptions(hostOptions(y))))
        .command({
          command: 'status <file>',
          describe: 'Where a saved rollout stands (exit 0 when every host is done)',
          builder: (s) => outputOptions(s).positional('file', { type: 'string', describe: 'The --state file' }) as never,
          handler: (args: Args) => runRolloutStatus(deps, ctx, args),
        })
        .example('$0 rollout --servers-file farm.txt --transport powershell --max-unavailable 10% --grace 15m --warn-at 5m,1m --state rollout.json --yes -- pwsh -File patch.ps1 -ComputerName {host}', 'Patch a farm 10% at a time')
        .example('$0 rollout --resume rollout.json --yes', 'Continue it in the next CI job')
        .example('$0 rollout status rollout.json', 'Where it stands')
        .epilogue(`The command runs once per host, without a shell: {host} is replaced in each argument and SESSION_LOGOFF_HOST is set. Exit 0 only when every host is done. ${EXIT_CODES_EPILOGUE}`) as never,
    // Static imports: an error class loaded twice (a second module graph) would not be recognised as input errors.
    handler: (args) => runRollout(deps, ctx, args),
  };
}
