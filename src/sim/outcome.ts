/** What one simulated process did: the same facts a real process exposes, plus timing hints. */
export interface SimOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** How long the real tool would take to answer (host latency). */
  delayMs: number;
  /** The host never answers: the caller must time out or abort. */
  hang: boolean;
  /** Sessions, logons or messages changed (the call log always grows). */
  mutated: boolean;
}

export function ok(stdout: string, delayMs = 0, mutated = false): SimOutcome {
  return { exitCode: 0, stdout, stderr: '', delayMs, hang: false, mutated };
}

export function fail(stderr: string, delayMs = 0, mutated = false, stdout = ''): SimOutcome {
  return { exitCode: 1, stdout, stderr, delayMs, hang: false, mutated };
}
