import type { RunResult } from '../run/runner.js';
import type { Transport } from '../run/transport.js';
import type { OutputStream } from './deps.js';
import { eraseLine, sanitizeForTerminal } from './terminal.js';

/*
 * --verbose: what a run did, on stderr, as kubectl's -v and npm's --loglevel verbose show it. Each program
 * run (its display command, never a message text: msg reads that on stdin), its exit code and time; each
 * host's number of commands and time from its first call to its last answer; and, under a parse issue
 * warning, the line it is about. Done at the CLI's two edges (the transport it creates, the stderr it
 * writes), so the library carries no logging of its own.
 */

/** The transport methods that run a program for one host; the others (locate, dateOrder …) pass through. */
const HOST_CALLS = new Set(['query', 'logoff', 'message', 'setLogons', 'getLogons']);

/** `getLogons` answers `{state, result}`, every other host call a RunResult. */
function runResultOf(value: unknown): RunResult | null {
  if (typeof value !== 'object' || value === null) return null;
  if ('command' in value && 'durationMs' in value) return value as RunResult;
  return 'result' in value ? runResultOf((value as { result: unknown }).result) : null;
}

function outcomeText(result: RunResult): string {
  if (result.timedOut) return 'timed out';
  if (result.aborted) return 'interrupted';
  if (result.spawnError !== null) return `could not start (${result.spawnError})`;
  return `exit ${String(result.exitCode)}`;
}

interface HostTiming {
  first: number;
  last: number;
  calls: number;
}

export interface VerboseLog {
  /** The transport, with each host call logged; its dispose() first prints each host's time. */
  wrapTransport(transport: Transport): Transport;
  /** The raw stderr, with the line behind each parse issue warning added after it. */
  stderr: OutputStream;
}

/**
 * @example
 * const verbose = createVerboseLog(process.stderr, process.stderr.isTTY);
 * const transport = verbose.wrapTransport(await createTransport('exec'));
 */
export function createVerboseLog(raw: OutputStream, isTTY: boolean, clock: () => number = () => performance.now()): VerboseLog {
  const outputs = new Map<string, string[]>();
  const timings = new Map<string, HostTiming>();
  const say = (text: string): void => {
    // A progress line may be on screen: erase it (it is drawn again at its next tick).
    if (isTTY) eraseLine(raw);
    raw.write(`session-logoff: ${sanitizeForTerminal(text.replace(/[\r\n]+/gu, ' '))}\n`);
  };

  const record = (method: string, host: string | null, kind: unknown, started: number, result: RunResult): void => {
    const name = host ?? 'localhost';
    const now = clock();
    const timing = timings.get(name) ?? { first: started, last: now, calls: 0 };
    timing.calls += 1;
    timing.last = Math.max(timing.last, now);
    timings.set(name, timing);
    say(`${name}: ran ${result.command}: ${outcomeText(result)} in ${Math.round(now - started)} ms`);
    if (method === 'query') outputs.set(`${name.toLowerCase()}|${kind === 'quser' ? 'quser' : 'query session'}`, result.stdout.replace(/^\uFEFF/u, '').split(/\r?\n/u));
  };

  const wrapTransport = (transport: Transport): Transport =>
    new Proxy(transport, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property === 'dispose') {
          return async () => {
            for (const [name, t] of timings) say(`${name}: ${t.calls} command(s) in ${Math.round(t.last - t.first)} ms`);
            timings.clear();
            return (value as () => Promise<void>).call(target);
          };
        }
        if (typeof property !== 'string' || !HOST_CALLS.has(property)) return (value as (...a: unknown[]) => unknown).bind(target);
        return async (...args: unknown[]) => {
          const started = clock();
          const answer: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          const result = runResultOf(answer);
          if (result) record(property, (args[0] as string | null) ?? null, args[1], started, result);
          return answer;
        };
      },
    });

  // core/query.ts words a parse issue as "<host>: <quser|query session> line <n>: <message> (<code>)".
  const ISSUE = /^session-logoff: warning: (.+?): (quser|query session) line (\d+): /u;
  const stderr: OutputStream = {
    write(chunk: string) {
      const written = raw.write(chunk);
      const match = ISSUE.exec(chunk);
      const [, host = '', what = '', line = '0'] = match ?? [];
      const text = match ? outputs.get(`${host.toLowerCase()}|${what}`)?.[Number(line) - 1] : undefined;
      if (text !== undefined) say(`  line ${line} of ${what} on ${host}: ${JSON.stringify(text.trim())}`);
      return written;
    },
  };
  return { wrapTransport, stderr };
}
