/** Every long option of every command, for "did you mean" on unknown options (yargs suggests commands only). */
export const KNOWN_OPTIONS = [
  'server', 'servers-file', 'shard', 'concurrency', 'timeout', 'retries', 'transport', 'farm', 'source', 'audit-log',
  'format', 'json', 'quiet', 'verbose', 'dry-run', 'yes', 'user', 'state', 'idle-over', 'all', 'self',
  'message', 'grace', 'late-notice', 'text', 'time', 'all-sessions', 'block-logons', 'remind-every', 'verify-timeout',
  'report', 'encoding', 'date-order', 'title', 'message-timeout', 'help', 'version', 'color',
] as const;

/** The options that need no command: `session-logoff --version`. */
export const TOP_LEVEL_OPTIONS = ['version', 'help', 'color'] as const;

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest candidate within a small edit distance, or null.
 * @example closest('servr', KNOWN_OPTIONS) // 'server'
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

const HOST_COMMANDS = ['list', 'logoff', 'message', 'drain', 'logons', 'cordon', 'uncordon'];
const OUTPUT_COMMANDS = [...HOST_COMMANDS, 'parse', 'report'];
const CHANGE_COMMANDS = ['logoff', 'message', 'drain', 'logons', 'cordon', 'uncordon'];

/** Which commands take each option, to explain `list --grace 5m` (an option of another command). */
export const OPTION_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  server: HOST_COMMANDS, 'servers-file': HOST_COMMANDS, shard: HOST_COMMANDS, concurrency: HOST_COMMANDS,
  timeout: HOST_COMMANDS, retries: HOST_COMMANDS, transport: HOST_COMMANDS, farm: HOST_COMMANDS, source: HOST_COMMANDS, 'audit-log': HOST_COMMANDS,
  format: OUTPUT_COMMANDS, json: OUTPUT_COMMANDS, quiet: [...HOST_COMMANDS, 'parse'], verbose: HOST_COMMANDS,
  'dry-run': CHANGE_COMMANDS, yes: CHANGE_COMMANDS,
  user: ['list', 'logoff', 'message'], state: ['list', 'logoff', 'message'], 'idle-over': ['list', 'logoff', 'message'], all: ['logoff', 'message'], self: ['logoff', 'message'],
  message: ['logoff', 'drain'], grace: ['logoff', 'drain'], 'late-notice': ['logoff', 'drain'], text: ['message'], time: ['message'], title: ['message', 'logoff', 'drain'], 'message-timeout': ['message'], 'all-sessions': ['list'],
  'block-logons': ['drain'], 'remind-every': ['drain'], 'verify-timeout': ['drain'], report: ['drain'],
  encoding: ['parse'], 'date-order': ['parse'],
};
