import type { CommandModule } from 'yargs';
import type { MessageOptions } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import { assertMessageText } from '../../validate.js';
import { bool, int, str, type Args } from '../args.js';
import { outputContext, type CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { resolveHostPlan } from '../host-run.js';
import { changeOptions, EXIT_CODES_EPILOGUE, hostOptions, outputOptions, targetOptions } from '../options.js';
import { renderActions } from '../render.js';
import { exitCodeOf, runHostCommand } from '../run-host-command.js';
import { parseSelection } from '../targets.js';
import { noteNothingMatched } from './describe.js';

export function messageCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'message [targets..]',
    aliases: ['msg'],
    describe: 'Send a message to Active sessions (msg; the text goes on stdin, never on a command line)',
    builder: (y) =>
      changeOptions(outputOptions(hostOptions(targetOptions(y))))
        .option('text', { alias: 't', type: 'string', requiresArg: true, describe: 'The message, at most 255 characters' })
        .option('time', { alias: 'message-timeout', type: 'string', requiresArg: true, describe: 'Seconds the message box stays up (msg /time; WTSSendMessageW timeout)' })
        .option('title', { type: 'string', requiresArg: true, describe: 'Message box title with the WTS source (default session-logoff; msg.exe shows none)' })
        .example('$0 message --all -s rds01 --text "Maintenance at 18:00, please save your work"', 'Everyone on rds01')
        .example('$0 message 3 --text "Call the helpdesk please"', 'One session on this machine')
        .example('$0 message --user "j*" --servers-file farm.txt --text "Hi" --time 60', 'Matching users, farm-wide')
        .epilogue(EXIT_CODES_EPILOGUE) as never,
    handler: async (args) => {
      const render = outputContext(deps, ctx, args);
      const { selection } = parseSelection(args);
      const text = str(args, 'text');
      if (text === undefined) throw new ValidationError('--text', '', 'message needs --text "<message>"');
      const options: Partial<MessageOptions> = { ...selection, text: assertMessageText(text, '--text') };
      const seconds = int(args, 'time', '--time', { min: 1, max: 86_400 });
      if (seconds !== undefined) options.seconds = seconds;
      if (bool(args, 'dry-run')) options.dryRun = true;
      const plan = await resolveHostPlan(deps, args);
      const outcome = await runHostCommand(deps, ctx, plan, (a, base) =>
        a.sendMessage({ ...base, ...options, text: options.text ?? '' }),
        { actions: [], errors: [], interrupted: false },
      );
      deps.stdout.write(renderActions(render, outcome.report));
      if (!selection.targets && !plan.emptyShard) noteNothingMatched(deps, ctx, outcome.report, plan.servers, 'message', args);
      ctx.exitCode = exitCodeOf(outcome);
    },
  };
}
