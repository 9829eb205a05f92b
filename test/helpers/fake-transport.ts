/*
 * An in-memory Transport for the core's unit tests. It prints what Windows prints: quser and query session
 * tables in the English layout of the captured fixtures 003-quser-en.txt and 031-qwinsta-en.txt, and the
 * real error texts (`No User exists for *`, `Error [5]:Access is denied.`, `Error [1722]:The RPC server is
 * unavailable.`). Every call is logged in `calls`, so tests can assert that nothing mutating ran.
 */
import { HostError } from '../../src/errors.js';
import { createLocalHostRule, localityByName } from '../../src/run/local-host.js';
import type { RunOptions, RunResult } from '../../src/run/runner.js';
import type { LogonMode, LogonState, QueryKind, Transport, TransportName } from '../../src/run/transport.js';
import type { DateOrder } from '../../src/types.js';

export type FakeState = 'Active' | 'Disc' | 'Conn' | 'Listen';
export type FakeFault = 'unreachable' | 'access-denied' | 'hang' | 'security-package';

export interface FakeSession {
  id: number;
  username: string | null;
  sessionName: string | null;
  state: FakeState;
  /** IDLE TIME as printed: `.`, `none`, `5`, `1:02`, `3+04:05`. Default `.`. */
  idle?: string;
  /** LOGON TIME as printed (en-US caller). */
  logon?: string;
  /** The caller's own session: `>` marks it in local queries only (host null), as on Windows (windows-facts.md). */
  current?: boolean;
  /** The user logs off by themselves this many ms after a message reaches them (0 = at once). */
  leavesAfterMessageMs?: number;
}

export interface FakeHostSpec {
  sessions?: FakeSession[];
  fault?: FakeFault;
  /** The next N calls answer RPC unavailable, then the host recovers. */
  transientFailures?: number;
  /** How logoff fails on this host. */
  logoffFault?: 'access-denied' | 'error-but-gone';
  latencyMs?: number;
  logons?: LogonState;
}

export interface FakeHost {
  sessions: FakeSession[];
  fault: FakeFault | undefined;
  transientFailures: number;
  logoffFault: FakeHostSpec['logoffFault'];
  latencyMs: number;
  logons: LogonState;
  messages: { id: number; text: string }[];
}

export interface FakeCall {
  method: 'query' | 'logoff' | 'message' | 'setLogons' | 'getLogons' | 'dateOrder';
  host: string | null;
  detail: string;
}

export interface FakeTransport extends Transport {
  readonly calls: FakeCall[];
  /** State of a host (null = local); throws for hosts the fake does not know. */
  host(name: string | null): FakeHost;
  /** Calls that change a host: logoff, message, setLogons. */
  mutatingCalls(): FakeCall[];
  /** Largest number of calls in flight at once. */
  readonly peakInFlight: number;
  /** Calls not yet settled (a real transport's processes still running). */
  readonly inFlight: number;
}

export interface FakeTransportOptions {
  hosts?: Record<string, FakeHostSpec>;
  /** The machine that runs the commands (host null). Default: a host with the standard sessions. */
  local?: FakeHostSpec;
  name?: TransportName;
  dateOrder?: DateOrder | null;
  /** Like the exec transport: change logon only on the local machine. Default true when name is 'exec'. */
  localOnlyLogons?: boolean;
  /**
   * The local machine's names and addresses (host name, FQDN, own IPs). They, loopback names and addresses,
   * and names `dns` resolves to one of them reach `local`, as /server: does on Windows. Default none.
   */
  localNames?: string[];
  /** Name resolution for `locate` (and for which host a name reaches): name → addresses. Absent: unresolvable. */
  dns?: Record<string, string[]>;
}

/** services, console with nobody, the rdp-tcp listener: what every RD Session Host has besides users. */
export function systemSessions(): FakeSession[] {
  return [
    { id: 0, username: null, sessionName: 'services', state: 'Disc' },
    { id: 1, username: null, sessionName: 'console', state: 'Conn' },
    { id: 65536, username: null, sessionName: 'rdp-tcp', state: 'Listen' },
  ];
}

const DEFAULT_LOGON = '11/24/2026 9:03 AM';
const NO_USERS = 'No User exists for *\r\n';
const FAULT_TEXT: Record<Exclude<FakeFault, 'hang'>, string> = {
  unreachable: 'Error 0x000006BA enumerating sessionnames\r\nError [1722]:The RPC server is unavailable.\r\n',
  'access-denied': 'Error 0x00000005 enumerating sessionnames\r\nError [5]:Access is denied.\r\n',
  'security-package': 'Error 0x00000721 enumerating sessionnames\r\nError [1825]:A security package specific error occurred.\r\n',
};

/** quser, English layout of 003-quser-en.txt: ID right-aligned at col 43, IDLE TIME at col 62, LOGON TIME at 65. */
export function renderQuser(sessions: readonly FakeSession[], marked = true): string {
  const header = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';
  const rows = sessions
    .filter((s) => s.username !== null && s.state !== 'Listen' && s.id !== 0)
    .map((s) => {
      const marker = marked && s.current ? '>' : ' ';
      const idle = s.idle ?? '.';
      return `${marker}${(s.username ?? '').padEnd(22)}${(s.sessionName ?? '').padEnd(17)}${String(s.id).padStart(4)}  ${s.state.padEnd(6)}${idle.padStart(11)}  ${s.logon ?? DEFAULT_LOGON}`;
    });
  return rows.length === 0 ? '' : `${[header, ...rows].join('\r\n')}\r\n`;
}

/** query session, English narrow layout of 031-qwinsta-en.txt: USERNAME at col 19, ID right-aligned at col 45. */
export function renderQuerySession(sessions: readonly FakeSession[], marked = true): string {
  const header = ' SESSIONNAME       USERNAME                 ID  STATE   TYPE        DEVICE';
  const rows = sessions.map((s) => {
    const marker = marked && s.current ? '>' : ' ';
    return `${marker}${(s.sessionName ?? '').padEnd(18)}${(s.username ?? '').padEnd(22)}${String(s.id).padStart(5)}  ${s.state}`;
  });
  return `${[header, ...rows].join('\r\n')}\r\n`;
}

function result(command: string, exitCode: number | null, stdout: string, stderr: string, extra: Partial<RunResult> = {}): RunResult {
  return { command, exitCode, stdout, stderr, timedOut: false, aborted: false, spawnError: null, durationMs: 0, ...extra };
}

/** Resolves after ms, or early with 'timeout' / 'abort' as the options say; a hang (ms Infinity) only ends that way. */
function wait(ms: number, options: RunOptions | undefined): Promise<'ok' | 'timeout' | 'abort'> {
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const signal = options?.signal;
    const done = (outcome: 'ok' | 'timeout' | 'abort'): void => {
      timers.forEach(clearTimeout);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = (): void => done('abort');
    if (signal?.aborted) return done('abort');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(ms)) timers.push(setTimeout(() => done('ok'), ms));
    if (options?.timeoutMs !== undefined && options.timeoutMs < ms) timers.push(setTimeout(() => done('timeout'), options.timeoutMs));
  });
}

/**
 * A fake Transport over in-memory hosts. Unknown host names answer like an unreachable host (RPC 1722).
 * @example const t = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice] } } });
 */
export function createFakeTransport(options: FakeTransportOptions = {}): FakeTransport {
  const toHost = (spec: FakeHostSpec): FakeHost => ({
    sessions: (spec.sessions ?? systemSessions()).map((s) => ({ ...s })),
    fault: spec.fault,
    transientFailures: spec.transientFailures ?? 0,
    logoffFault: spec.logoffFault,
    latencyMs: spec.latencyMs ?? 0,
    logons: spec.logons ?? 'enabled',
    messages: [],
  });
  const local = toHost(options.local ?? {});
  const hosts = new Map(Object.entries(options.hosts ?? {}).map(([name, spec]) => [name.toLowerCase(), toHost(spec)]));
  const calls: FakeCall[] = [];
  const name = options.name ?? 'simulated';
  const localOnlyLogons = options.localOnlyLogons ?? name === 'exec';
  let inFlight = 0;
  let peak = 0;

  const localNames = options.localNames ?? [];
  const dns = new Map(Object.entries(options.dns ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const rule = createLocalHostRule({ names: localNames, addresses: [], resolve: async (n) => dns.get(n.toLowerCase()) ?? [] });
  // Which machine a name reaches: ours when it is one of our names or resolves only to our addresses.
  const reachesLocal = (host: string): boolean => {
    const byName = localityByName(host, localNames);
    if (byName !== null) return byName === 'this-machine';
    const found = dns.get(host.toLowerCase()) ?? [];
    return found.length > 0 && found.every((a) => localityByName(a, localNames) === 'this-machine');
  };
  const find = (host: string | null): FakeHost | undefined => (host === null || reachesLocal(host) ? local : hosts.get(host.toLowerCase()));

  /** Latency, faults and the in-flight count shared by every call; `run` answers a healthy host. */
  async function call(method: FakeCall['method'], host: string | null, detail: string, options: RunOptions | undefined, run: (h: FakeHost) => RunResult): Promise<RunResult> {
    calls.push({ method, host, detail });
    const command = `${method} ${host ?? '(local)'} ${detail}`.trim();
    const h = find(host);
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      const outcome = await wait(h?.fault === 'hang' ? Number.POSITIVE_INFINITY : (h?.latencyMs ?? 0), options);
      if (outcome === 'timeout') return result(command, null, '', '', { timedOut: true });
      if (outcome === 'abort') return result(command, null, '', '', { aborted: true });
      if (!h) return result(command, 1, '', FAULT_TEXT.unreachable);
      if (h.transientFailures > 0) {
        h.transientFailures--;
        return result(command, 1, '', FAULT_TEXT.unreachable);
      }
      if (h.fault && h.fault !== 'hang') return result(command, 1, '', FAULT_TEXT[h.fault]);
      return run(h);
    } finally {
      inFlight--;
    }
  }

  /** Like the exec transport (localOnlyLogons): change logon only on the local machine. */
  const canSetLogons = async (host: string | null): Promise<void> => {
    if (localOnlyLogons && (await rule.locate(host)) !== 'this-machine') {
      throw new HostError('ERR_UNSUPPORTED_OPERATION', host ?? 'localhost', 'blocking logons on a remote host needs --transport powershell (change logon is local only), or --block-logons none');
    }
  };

  const transport: FakeTransport = {
    name,
    calls,
    get peakInFlight() {
      return peak;
    },
    get inFlight() {
      return inFlight;
    },
    host(hostName) {
      const h = find(hostName);
      if (!h) throw new Error(`fake transport: no host ${String(hostName)}`);
      return h;
    },
    mutatingCalls: () => calls.filter((c) => c.method === 'logoff' || c.method === 'message' || c.method === 'setLogons'),

    query(host: string | null, kind: QueryKind, runOptions?: RunOptions) {
      return call('query', host, kind, runOptions, (h) => {
        // quser/qwinsta /server:X print no `>`, even when X is this machine: only a local query marks the caller.
        if (kind === 'query-session') return result('query session', 0, renderQuerySession(h.sessions, host === null), '');
        const text = renderQuser(h.sessions, host === null);
        return text ? result('quser', 0, text, '') : result('quser', 1, '', NO_USERS);
      });
    },

    logoff(host: string | null, sessionId: number, runOptions?: RunOptions) {
      return call('logoff', host, String(sessionId), runOptions, (h) => {
        const index = h.sessions.findIndex((s) => s.id === sessionId);
        const session = h.sessions[index];
        // Unverified: logoff's error wording; the core never parses it (it re-queries instead).
        if (!session) return result('logoff', 1, '', `Could not logoff session ID ${sessionId}, Error code 2\r\nError [2]:The system cannot find the file specified.\r\n`);
        if (h.logoffFault === 'access-denied') return result('logoff', 1, '', `Could not logoff session ID ${sessionId}, Error code 5\r\nError [5]:Access is denied.\r\n`);
        if (session.sessionName?.toLowerCase() === 'console' || sessionId === 0) return result('logoff', 1, '', 'Error [5]:Access is denied.\r\n');
        h.sessions.splice(index, 1);
        if (h.logoffFault === 'error-but-gone') return result('logoff', 1, '', 'Error [1]:Incorrect function.\r\n');
        return result('logoff', 0, '', '');
      });
    },

    message(host: string | null, sessionId: number, text: string, messageOptions?: RunOptions & { seconds?: number }) {
      return call('message', host, String(sessionId), messageOptions, (h) => {
        const session = h.sessions.find((s) => s.id === sessionId);
        // Unverified: msg's wording for a missing session.
        if (!session) return result('msg', 1, '', `Error 0x00000007 sending message to session ${sessionId}\r\n`);
        h.messages.push({ id: sessionId, text });
        if (session.leavesAfterMessageMs !== undefined) {
          const leave = (): void => {
            h.sessions = h.sessions.filter((s) => s !== session);
          };
          if (session.leavesAfterMessageMs === 0) leave();
          else setTimeout(leave, session.leavesAfterMessageMs).unref();
        }
        return result('msg', 0, '', '');
      });
    },

    locate: (host: string | null) => rule.locate(host),

    assertCanSetLogons: canSetLogons,

    async setLogons(host: string | null, mode: LogonMode, runOptions?: RunOptions) {
      // As the exec transport: the check a dry run asks for is the one made here.
      await canSetLogons(host);
      return call('setLogons', host, mode, runOptions, (h) => {
        h.logons = mode === 'enable' ? 'enabled' : mode === 'disable' ? 'disabled' : mode;
        return result('change logon', 0, '', '');
      });
    },

    async getLogons(host: string | null, runOptions?: RunOptions) {
      const read = await call('getLogons', host, '', runOptions, () => result('reg query', 0, '', ''));
      const h = find(host);
      return { state: read.exitCode === 0 && h ? h.logons : 'unknown', result: read };
    },

    async dateOrder() {
      calls.push({ method: 'dateOrder', host: null, detail: '' });
      return options.dateOrder === undefined ? 'mdy' : options.dateOrder;
    },

    async dispose() {},
  };
  return transport;
}
