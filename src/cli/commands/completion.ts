import type { CommandModule } from 'yargs';
import { ValidationError } from '../../errors.js';
import { str, type Args } from '../args.js';
import type { CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';

/*
 * Shell completion, as gh and kubectl offer it: `session-logoff completion bash|zsh|fish` prints that shell's
 * script. The scripts ask the CLI through yargs' own `--get-yargs-completions` (registered in app.ts under a
 * hidden name), with SHELL set for that one call: yargs words its answer by $SHELL (zsh `name:desc`, fish
 * `name<TAB>desc`), and a bash user's $SHELL may well be zsh.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** yargs' completion command, hidden: `completion` is ours (it takes a shell and has --help). */
export const YARGS_COMPLETION_COMMAND = '__yargs-completion-script';

const APP = 'session-logoff';
const ASK = `${APP} --get-yargs-completions`;

// yargs 18's templates (lib/completion-templates.js), with SHELL set for the call and our name filled in.
const SCRIPTS: Record<Shell, string> = {
  bash: `###-begin-${APP}-completions-###
#
# session-logoff command completion script (bash)
#
# Installation: ${APP} completion bash >> ~/.bashrc
#    or ${APP} completion bash >> ~/.bash_profile on macOS.
#
_${APP}_yargs_completions()
{
    local cur_word args type_list

    cur_word="\${COMP_WORDS[COMP_CWORD]}"
    args=("\${COMP_WORDS[@]}")

    mapfile -t type_list < <(SHELL=bash ${ASK} "\${args[@]}")
    mapfile -t COMPREPLY < <(compgen -W "$( printf '%q ' "\${type_list[@]}" )" -- "\${cur_word}" |
        awk '/ / { print "\\""$0"\\"" } /^[^ ]+$/ { print $0 }')

    if [ \${#COMPREPLY[@]} -eq 0 ]; then
      COMPREPLY=()
    fi

    return 0
}
complete -o bashdefault -o default -F _${APP}_yargs_completions ${APP}
###-end-${APP}-completions-###
`,
  zsh: `#compdef ${APP}
###-begin-${APP}-completions-###
#
# session-logoff command completion script (zsh)
#
# Installation: ${APP} completion zsh >> ~/.zshrc
#    or ${APP} completion zsh > "\${fpath[1]}/_${APP}"
#
_${APP}_yargs_completions()
{
  local reply
  local si=$IFS
  IFS=$'\\n' reply=($(COMP_CWORD="$((CURRENT-1))" COMP_LINE="$BUFFER" COMP_POINT="$CURSOR" SHELL=zsh ${ASK} "\${words[@]}"))
  IFS=$si
  if [[ \${#reply} -gt 0 ]]; then
    _describe 'values' reply
  else
    _default
  fi
}
if [[ "\${zsh_eval_context[-1]}" == "loadautofunc" ]]; then
  _${APP}_yargs_completions "$@"
else
  compdef _${APP}_yargs_completions ${APP}
fi
###-end-${APP}-completions-###
`,
  fish: `###-begin-${APP}-completions-###
#
# session-logoff command completion script (fish)
#
# Installation: ${APP} completion fish > ~/.config/fish/completions/${APP}.fish
#
complete -f -c ${APP} -a '(env SHELL=fish ${ASK} (commandline -o)[2..-1])'
###-end-${APP}-completions-###
`,
};

/** The shell named by $SHELL, or bash. */
function shellOf(env: Record<string, string | undefined>): Shell {
  const name = (env['SHELL'] ?? '').split('/').pop() ?? '';
  return (SHELLS as readonly string[]).includes(name) ? (name as Shell) : 'bash';
}

/**
 * yargs' completions, minus what `--<TAB>` should not offer: after `--` only long names (yargs turns the
 * alias `s` into `--s` there), and only those that start with what is typed. Entries may carry a
 * description (`--server:Host…` for zsh, `--server<TAB>Host…` for fish).
 */
export function filterCompletions(current: string, completions: readonly string[]): string[] {
  if (!current.startsWith('--')) return [...completions];
  return completions.filter((entry) => {
    const name = entry.split(/\t|(?<!\\):/u)[0] ?? '';
    return /^--[^-\s][^\s]+$/u.test(name) && name.startsWith(current);
  });
}

export function completionCommand(deps: CliDeps, _ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'completion [shell]',
    describe: 'Print the shell completion script for bash, zsh or fish',
    builder: (y) =>
      y
        .positional('shell', { type: 'string', choices: SHELLS, describe: 'bash, zsh or fish (default: from $SHELL)' })
        .example('$0 completion bash >> ~/.bashrc', 'bash')
        .example('$0 completion zsh >> ~/.zshrc', 'zsh')
        .example('$0 completion fish > ~/.config/fish/completions/session-logoff.fish', 'fish') as never,
    handler: (args) => {
      const shell = str(args, 'shell') ?? shellOf(deps.env);
      if (!(SHELLS as readonly string[]).includes(shell)) throw new ValidationError('shell', shell, `invalid <shell> ${JSON.stringify(shell)}: expected bash, zsh or fish`);
      deps.stdout.write(SCRIPTS[shell as Shell]);
    },
  };
}
