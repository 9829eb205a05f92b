/** Every long option of every command, for "did you mean" on unknown options (yargs suggests commands only). */
export const KNOWN_OPTIONS = [
  'server', 'servers-file', 'shard', 'concurrency', 'timeout', 'retries', 'transport', 'farm', 'audit-log',
  'format', 'json', 'quiet', 'verbose', 'dry-run', 'yes', 'user', 'state', 'idle-over', 'all', 'self',
  'message', 'grace', 'text', 'time', 'all-sessions', 'block-logons', 'remind-every', 'verify-timeout',
  'report', 'encoding', 'date-order', 'help', 'version',
] as const;

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
