/**
 * The logoff.exe syntax as a shortcut: `session-logoff 12`, `session-logoff TERM04 /server:Server1`,
 * `session-logoff 12 /server:Server1 /v`, `session-logoff /?`. It is rewritten into the `logoff` command
 * before yargs sees it, so every rule of `logoff` (validation, protected sessions) applies unchanged.
 *
 * Decision: the shortcut does not ask for confirmation. It always names exactly one session explicitly,
 * like logoff.exe, and explicit targets of `logoff` are not confirmed either; filters and `--all` are not
 * reachable through it.
 *
 * logoff.exe with no session logs off the caller. We never do: with no session we print help.
 * See https://learn.microsoft.com/windows-server/administration/windows-commands/logoff
 */

export type ShortcutResult =
  | { kind: 'argv'; argv: string[] }
  | { kind: 'help'; exitCode: 0 | 2; reason: string | null }
  | { kind: 'error'; message: string };

const SERVER_SWITCH = /^\/server:(.*)$/is;
const VERBOSE_SWITCH = /^\/v$/i;
const HELP_SWITCH = /^\/\?$/;
const SESSION_ID = /^\d+$/;
/** Our own command names win over the shortcut: `session-logoff list /v` is never a session named "list". */
export const COMMAND_NAMES: ReadonlySet<string> = new Set(['parse', 'list', 'ls', 'logoff', 'message', 'msg', 'drain', 'logons', 'cordon', 'uncordon', 'report', 'completion']);

/**
 * Rewrites logoff.exe-style argv into `logoff <session> [--server=<host>] [--verbose]`; anything else is
 * returned unchanged for yargs, which rejects unknown commands with a suggestion.
 *
 * @example
 * rewriteShortcut(['12', '/server:Server1', '/v'])
 * // → {kind: 'argv', argv: ['logoff', '12', '--server=Server1', '--verbose']}
 */
export function rewriteShortcut(argv: readonly string[]): ShortcutResult {
  if (argv.length === 0) return { kind: 'help', exitCode: 2, reason: null };
  if (argv.length === 1 && (HELP_SWITCH.test(argv[0] ?? '') || argv[0] === '-?')) return { kind: 'help', exitCode: 0, reason: null };
  // `help` and `help <command>`, as git and npm take them.
  if (argv[0] === 'help') {
    const topic = argv[1];
    if (topic === undefined) return { kind: 'help', exitCode: 0, reason: null };
    if (COMMAND_NAMES.has(topic)) return { kind: 'argv', argv: [topic, '--help'] };
    return { kind: 'error', message: `no help for ${JSON.stringify(topic)}: the commands are list, logoff, message, drain, logons, parse, report and completion` };
  }
  const hasSwitch = argv.some((a) => SERVER_SWITCH.test(a) || VERBOSE_SWITCH.test(a));
  const first = argv[0] ?? '';
  if (COMMAND_NAMES.has(first) || (!hasSwitch && !SESSION_ID.test(first))) return { kind: 'argv', argv: [...argv] };

  const sessions: string[] = [];
  const rest: string[] = [];
  let ownOptions = false;
  for (const arg of argv) {
    // Once our own options start (e.g. `--format json`), everything else is theirs: yargs validates it.
    if (ownOptions || arg.startsWith('-')) {
      ownOptions = true;
      rest.push(arg);
      continue;
    }
    const server = SERVER_SWITCH.exec(arg);
    if (server) {
      // One token `--server=<value>`: a value that starts with `-` cannot turn into an option.
      rest.push(`--server=${server[1] ?? ''}`);
    } else if (VERBOSE_SWITCH.test(arg)) {
      rest.push('--verbose');
    } else if (HELP_SWITCH.test(arg)) {
      return { kind: 'help', exitCode: 0, reason: null };
    } else if (arg.startsWith('/')) {
      return { kind: 'error', message: `Unknown switch ${arg}: the logoff.exe syntax takes <session> [/server:<host>] [/v].` };
    } else {
      sessions.push(arg);
    }
  }
  if (sessions.length === 0) {
    return { kind: 'help', exitCode: 2, reason: 'No session given: session-logoff never logs off your own session without `logoff --self`.' };
  }
  if (sessions.length > 1) {
    return { kind: 'error', message: `The logoff.exe syntax takes one session, got ${sessions.length}: use \`session-logoff logoff <targets..>\` for several.` };
  }
  return { kind: 'argv', argv: ['logoff', ...sessions, ...rest] };
}
