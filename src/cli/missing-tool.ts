import type { OutputStream } from './deps.js';

/** The Windows programs the exec transport runs; off Windows, "could not start" one means it is not here. */
const WINDOWS_TOOLS = new Set(['quser', 'query', 'qwinsta', 'logoff', 'msg', 'change', 'reg']);

// render.ts renderErrorLines: "session-logoff: <host>: could not start <program> for <host>: … ENOENT … (ERR_SPAWN)".
const SPAWN_FAILED = /^session-logoff: .*could not start (\S+) for .*\bENOENT\b.*\(ERR_SPAWN\)$/mu;

export interface MissingToolWatch {
  /** stderr, watched for host errors saying a Windows program could not be started. */
  stream: OutputStream;
  /** After the run: one line naming the fix, when such an error was seen off Windows. */
  finish(): void;
}

/**
 * The default (exec) transport off Windows: quser, logoff and msg are Windows programs, so every host fails
 * with "could not start quser … ENOENT", which names the symptom, not the fix. This watches the host error
 * lines on their way to stderr and, when the run is over, says once what to do instead. Nothing changes
 * on Windows, where a missing quser means another thing (Windows Home has none).
 *
 * @example
 * const watch = watchMissingTools(process.stderr, process.platform);
 * // … run, writing to watch.stream …
 * watch.finish();
 */
export function watchMissingTools(stderr: OutputStream, platform: NodeJS.Platform): MissingToolWatch {
  let missing: string | undefined;
  return {
    stream: {
      write(chunk: string) {
        const program = platform === 'win32' ? undefined : SPAWN_FAILED.exec(chunk)?.[1];
        if (program !== undefined && WINDOWS_TOOLS.has(program.toLowerCase())) missing ??= program;
        return stderr.write(chunk);
      },
    },
    finish() {
      if (missing === undefined) return;
      stderr.write(`session-logoff: ${missing} was not found: it is a Windows program (this machine runs ${platform}). Run session-logoff on Windows, or rehearse with --transport simulated --farm <file> (--farm example: the farm that ships with the package)\n`);
      missing = undefined;
    },
  };
}
