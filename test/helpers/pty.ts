import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HELPER = fileURLToPath(new URL('./pty-run.py', import.meta.url));

/**
 * Why a pseudo-terminal cannot be had here, or null when it can: Python 3 with its standard `pty` module
 * (Linux, macOS; `npm test`'s pretest installs it where it is missing and it may: scripts/setup-pty.sh).
 */
export function ptyUnavailable(): string | null {
  if (process.platform === 'win32') return 'no pseudo-terminals through Python on Windows';
  const probe = spawnSync('python3', ['-c', 'import pty, termios, fcntl'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not installed (${probe.error.message}); run scripts/setup-pty.sh as root, or install python3`;
  if (probe.status !== 0) return `python3 has no pty module: ${probe.stderr.trim()}`;
  return null;
}

/** A program running in a terminal, as a person at a shell would see it. */
export interface PtySession {
  /** Everything the terminal showed so far, escape sequences and echoed keys included. */
  output(): string;
  /** Resolves once the screen text (escape sequences removed) matches: event-driven, no fixed delays. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Keys typed into the terminal, e.g. `n\r`. */
  type(keys: string): void;
  /** The exit code (128 + signal when killed by one). */
  exited: Promise<number | null>;
}

/** The screen's text: CSI sequences (colour, erase line) removed, carriage returns dropped. */
export function screenText(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/**
 * Starts `file args` in an 80x24 pseudo-terminal.
 * @example const t = startPty(process.execPath, [CLI, 'logoff', '--all']); await t.waitFor(/\[y\/N\]/); t.type('n\r');
 */
export function startPty(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): PtySession {
  const child = spawn('python3', [HELPER, '80', '24', file, ...args], { env: { ...env, TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  const check = (): void => {
    const text = screenText(raw);
    for (const w of [...waiters]) {
      if (w.pattern.test(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(text);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    raw += d;
    check();
  });
  let helperErrors = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (helperErrors += d));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const w of waiters.splice(0)) w.resolve(screenText(raw));
      if (helperErrors) reject(new Error(`pty-run.py: ${helperErrors}`));
      else resolve(code);
    });
  });
  return {
    output: () => raw,
    waitFor: (pattern) =>
      new Promise((resolve) => {
        waiters.push({ pattern, resolve });
        check();
      }),
    type: (keys) => child.stdin.write(keys),
    exited,
  };
}

/**
 * For a describe() that needs a pseudo-terminal: skips the suite with the reason, or fails it when CI is set
 * (the prompt must never go untested silently). scripts/setup-pty.sh, run by `npm test`'s pretest, installs
 * python3 where it can.
 * @example before(function () { requirePty(this); })
 */
export function requirePty(context: Mocha.Context): void {
  const reason = ptyUnavailable();
  if (reason === null) return;
  if (process.env.CI) throw new Error(`${reason} (required when CI is set)`);
  console.warn(`      skipped: ${reason}`);
  context.skip();
}
