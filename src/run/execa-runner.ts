import path from 'node:path';
import { execa } from 'execa';
import iconv from 'iconv-lite';
import { decodeOutput } from '../parse/decode.js';
import type { CommandSpec, OutputEncoding } from '../types.js';
import type { RunOptions, RunResult, Runner } from './runner.js';

export interface ExecaRunnerOptions {
  platform?: NodeJS.Platform;
  /** How the tools' output is encoded. Default: UTF-8 off Windows; on Windows the console code page (see below). */
  encoding?: OutputEncoding;
  /** Merged over process.env (tests put their doubles first on PATH this way). */
  env?: NodeJS.ProcessEnv;
  /** Default per-call timeout when the call gives none; 0 = none. */
  timeoutMs?: number;
  /** After a timeout or abort, SIGTERM first, then SIGKILL after this long. */
  killGraceMs?: number;
}

// chcp's number survives localization ("Active code page: 850", "Aktive Codepage: 850.").
const CODE_PAGES: Record<number, OutputEncoding> = {
  437: 'cp437', 850: 'cp850', 852: 'cp852', 866: 'cp866', 932: 'cp932', 936: 'cp936',
  949: 'cp949', 950: 'cp950', 1252: 'windows-1252', 65001: 'utf8',
};

/** Maps a Windows code page number to a decoder name; unknown pages fall back to cp437 (ASCII-safe). */
export function encodingForCodePage(codePage: number): OutputEncoding {
  return CODE_PAGES[codePage] ?? 'cp437';
}

/**
 * On Windows quser & co. print in the console's OEM code page, not UTF-8. Our children share node's console
 * (or get a fresh hidden one in the system OEM code page), and `chcp` run the same way reports exactly that
 * page, so we ask it once per runner. Unverified on a real host: a service-hosted node without a console.
 */
async function detectConsoleEncoding(env: NodeJS.ProcessEnv): Promise<OutputEncoding> {
  const root = env.SystemRoot ?? process.env.SystemRoot ?? 'C:\\Windows';
  const result = await execa(path.win32.join(root, 'System32', 'chcp.com'), [], { reject: false, windowsHide: true, timeout: 5000, stdin: 'ignore' });
  const match = /(\d{3,5})\D*$/u.exec(String(result.stdout).trim());
  return match ? encodingForCodePage(Number(match[1])) : 'cp437';
}

function toText(value: unknown, encoding: OutputEncoding): string {
  if (value instanceof Uint8Array || typeof value === 'string') return decodeOutput(value, encoding);
  return '';
}

/** The parts of an execa result we read (execa's own Result type is generic over the options). */
interface ExecaOutcome {
  failed: boolean;
  exitCode?: number | undefined;
  timedOut: boolean;
  isCanceled: boolean;
  isTerminated: boolean;
  originalMessage?: string | undefined;
  shortMessage?: string | undefined;
  escapedCommand: string;
  durationMs: number;
  stdout: unknown;
  stderr: unknown;
}

function toRunResult(result: ExecaOutcome, encoding: OutputEncoding, started: number): RunResult {
  const killed = result.timedOut || result.isCanceled || result.isTerminated;
  const code = (result as { code?: unknown }).code;
  const spawnError =
    result.failed && result.exitCode === undefined && !killed
      ? String(typeof code === 'string' ? `${code}: ${result.originalMessage ?? result.shortMessage}` : (result.originalMessage ?? result.shortMessage))
      : null;
  return {
    command: result.escapedCommand,
    exitCode: killed || result.exitCode === undefined ? null : result.exitCode,
    stdout: toText(result.stdout, encoding),
    stderr: toText(result.stderr, encoding),
    timedOut: result.timedOut,
    aborted: result.isCanceled,
    spawnError,
    durationMs: Math.round(Number.isFinite(result.durationMs) ? result.durationMs : Date.now() - started),
  };
}

/**
 * The real Runner: execa with argv only (`shell: false`), never rejecting, a timeout that kills, hidden windows,
 * and output decoded from the tools' code page. It resolves for every process outcome; it does not throw.
 * @example const runner = createExecaRunner(); await runner.run({ file: 'quser', args: [] })
 */
export function createExecaRunner(options: ExecaRunnerOptions = {}): Runner {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? {};
  let encoding: Promise<OutputEncoding> | undefined;
  const getEncoding = (): Promise<OutputEncoding> => {
    if (options.encoding !== undefined) return Promise.resolve(options.encoding);
    if (platform !== 'win32') return Promise.resolve('utf8');
    encoding ??= detectConsoleEncoding({ ...process.env, ...env }).catch(() => 'cp437' as const);
    return encoding;
  };

  return {
    async run(spec: CommandSpec, runOptions: RunOptions = {}): Promise<RunResult> {
      const started = Date.now();
      const enc = await getEncoding();
      const timeout = runOptions.timeoutMs ?? options.timeoutMs ?? 0;
      // Unverified: that msg.exe reads stdin in the console code page; UTF-8 stays UTF-8 elsewhere.
      const input = spec.input === undefined ? undefined : enc === 'utf8' || enc === 'utf-8' ? spec.input : iconv.encode(spec.input, enc);
      try {
        const result = await execa(spec.file, [...spec.args], {
          shell: false,
          reject: false,
          windowsHide: true,
          encoding: 'buffer',
          stripFinalNewline: false,
          env,
          extendEnv: true,
          // No input: stdin is closed, so a tool that unexpectedly prompts cannot hang the run.
          ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
          ...(timeout > 0 ? { timeout } : {}),
          ...(runOptions.signal ? { cancelSignal: runOptions.signal } : {}),
          forceKillAfterDelay: options.killGraceMs ?? 2000,
        });
        return toRunResult(result, enc, started);
      } catch (error) {
        // execa reports process failures as results; this is only for option errors, kept result-shaped.
        return {
          command: [spec.file, ...spec.args].join(' '),
          exitCode: null,
          stdout: '',
          stderr: '',
          timedOut: false,
          aborted: runOptions.signal?.aborted ?? false,
          spawnError: error instanceof Error ? error.message : String(error),
          durationMs: Date.now() - started,
        };
      }
    },
  };
}
