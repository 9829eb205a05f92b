import type {
  ActionReport,
  AuditEvent,
  DrainOptions,
  DrainReport,
  ListOptions,
  ListReport,
  LogoffOptions,
  LogonsOptions,
  LogonsReport,
  MessageOptions,
} from '../core/types.js';
import type { Transport, TransportName } from '../run/transport.js';
import type { OutputClassification, OutputEncoding, ParseOptions, ParseResult } from '../types.js';

/** The library operations the CLI calls. Injected in tests; loaded lazily (dynamic import) otherwise. */
export interface CliApi {
  listSessions(options: ListOptions): Promise<ListReport>;
  logoff(options: LogoffOptions): Promise<ActionReport>;
  sendMessage(options: MessageOptions): Promise<ActionReport>;
  drain(options: DrainOptions): Promise<DrainReport>;
  logons(options: LogonsOptions): Promise<LogonsReport>;
  mergeReports(reports: readonly unknown[]): unknown;
  exitCodeFor(report: unknown): 0 | 1;
  createAuditLogWriter(file: string): { write: (event: AuditEvent) => void; flush(): Promise<void> };
}

/** The pure parsers, for `session-logoff parse`. */
export interface CliParsers {
  parseQuser(input: string | Uint8Array, options?: ParseOptions): ParseResult;
  parseQuerySession(input: string | Uint8Array, options?: ParseOptions): ParseResult;
  classifyOutput(output: { exitCode: number | null; stdout: string; stderr: string }): OutputClassification;
  decodeOutput(input: string | Uint8Array, encoding?: OutputEncoding): string;
}

export interface CreateTransportOptions {
  farmFile?: string;
  /** --farm-state: the simulated farm's state persists in this file. */
  farmStateFile?: string;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  pwshPath?: string;
  /** --source: how sessions are read (auto, wts, text). */
  source?: 'auto' | 'wts' | 'text';
  /** --title: WTS message box title. */
  messageTitle?: string;
  /** --concurrency: the PowerShell transport sizes its pool to it. */
  concurrency?: number;
}

export interface OutputStream {
  write(chunk: string): unknown;
}

/**
 * Everything the CLI touches outside itself. `src/cli.ts` builds the real ones (`defaultDeps()`); tests
 * pass fakes, so no test needs a real terminal, process or Windows host.
 */
export interface CliDeps {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read for `-` (servers file) and for `parse` without a file. */
  stdin: AsyncIterable<Uint8Array | string>;
  isTTY: { stdin: boolean; stdout: boolean; stderr: boolean };
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  createTransport(name: TransportName, options: CreateTransportOptions): Promise<Transport>;
  /** Asks a yes/no question on the terminal; only called when stdin and stderr are TTYs. */
  confirm(question: string): Promise<boolean>;
  signal?: AbortSignal;
  now?: () => Date;
  readFile?: (path: string) => Promise<Uint8Array>;
  writeFile?: (path: string, data: string) => Promise<void>;
  /** Rejects when `path` cannot be written (`append`: the audit log; `replace`: a report). Default: the real file system. */
  checkWritable?: (path: string, mode: 'append' | 'replace') => Promise<void>;
  /** Defaults to the real library (src/core), imported only when a command needs it. */
  api?: CliApi;
  /** Defaults to the real parsers, imported only by `parse`. */
  parsers?: CliParsers;
}

export async function loadApi(deps: CliDeps): Promise<CliApi> {
  if (deps.api) return deps.api;
  const core = await import('../core/index.js');
  const api: CliApi = core;
  return api;
}

export async function loadParsers(deps: CliDeps): Promise<CliParsers> {
  if (deps.parsers) return deps.parsers;
  const [quser, querySession, classify, decode] = await Promise.all([
    import('../parse/quser.js'),
    import('../parse/query-session.js'),
    import('../parse/classify.js'),
    import('../parse/decode.js'),
  ]);
  return {
    parseQuser: quser.parseQuser,
    parseQuerySession: querySession.parseQuerySession,
    classifyOutput: classify.classifyOutput,
    decodeOutput: decode.decodeOutput,
  };
}

export async function readFileBytes(deps: CliDeps, path: string): Promise<Uint8Array> {
  if (deps.readFile) return deps.readFile(path);
  const { readFile } = await import('node:fs/promises');
  return readFile(path);
}

/** Ctrl-C (or SIGTERM, SIGHUP) while stdin was being read: nothing was done (exit 130, 143, 129). */
export class InputInterruptedError extends Error {
  override name = 'InputInterruptedError';
}

/**
 * All of stdin. From a terminal it first says what it waits for and how to end it (a silent wait looks
 * hung), and the run's signal ends the read: the first Ctrl-C, not the second, stops it.
 *
 * @example
 * const bytes = await readStdinBytes(deps, 'quser output');
 */
export async function readStdinBytes(deps: CliDeps, what = 'input'): Promise<Uint8Array> {
  if (deps.isTTY.stdin) {
    deps.stderr.write(`session-logoff: reading ${what} from the terminal: paste or type it, then Ctrl-D on an empty line (Ctrl-Z, Enter on Windows); Ctrl-C cancels\n`);
  }
  const chunks: Buffer[] = [];
  const iterator = deps.stdin[Symbol.asyncIterator]();
  const { signal } = deps;
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new InputInterruptedError(`interrupted while reading ${what}`));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  // Never unhandled: it only matters while a read is pending.
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done === true) break;
      const chunk = next.value;
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    }
  } catch (error) {
    // Let go of stdin, or the terminal keeps the process alive: a Readable's iterator would destroy it on
    // return(), but an async generator runs return() only after its pending read settles, which never
    // comes. So the stream itself is destroyed (process.stdin), and the iterator told too.
    (deps.stdin as { destroy?: () => void }).destroy?.();
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks);
}
