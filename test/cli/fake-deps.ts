import sinon from 'sinon';
import type { CliApi, CliDeps } from '../../src/cli/deps.js';
import type { ActionReport, DrainReport, ListReport, LogonsReport } from '../../src/core/types.js';
import type { Transport } from '../../src/run/transport.js';

export interface Captured {
  deps: CliDeps;
  stdout: () => string;
  stderr: () => string;
  createTransport: sinon.SinonStub;
  confirm: sinon.SinonStub;
  api: { [K in keyof CliApi]: sinon.SinonStub };
  transport: Transport & { dispose: sinon.SinonStub };
}

const EMPTY_ACTIONS: ActionReport = { actions: [], errors: [], interrupted: false };

/** CliDeps with recorded output, a stubbed library and a transport factory that must not be reached by bad input. */
export function fakeDeps(overrides: Partial<CliDeps> & { stdinText?: string; tty?: boolean } = {}): Captured {
  let out = '';
  let err = '';
  const transport = { name: 'exec', dispose: sinon.stub().resolves() } as unknown as Transport & { dispose: sinon.SinonStub };
  const createTransport = sinon.stub().resolves(transport);
  const confirm = sinon.stub().resolves(true);
  const exitCodeFor = sinon.stub().callsFake((r: { errors: unknown[]; actions?: { status: string }[] }) =>
    r.errors.length > 0 || (r.actions ?? []).some((a) => ['failed', 'refused', 'not-found'].includes(a.status)) ? 1 : 0,
  );
  const api = {
    listSessions: sinon.stub().resolves({ sessions: [], errors: [] } satisfies ListReport),
    logoff: sinon.stub().resolves(EMPTY_ACTIONS),
    sendMessage: sinon.stub().resolves(EMPTY_ACTIONS),
    drain: sinon.stub().resolves({ ...EMPTY_ACTIONS, hosts: [] } satisfies DrainReport),
    logons: sinon.stub().resolves({ ...EMPTY_ACTIONS, hosts: [] } satisfies LogonsReport),
    mergeReports: sinon.stub().callsFake((reports: unknown[]) => reports[0]),
    exitCodeFor,
    createAuditLogWriter: sinon.stub().returns({ write: sinon.stub(), flush: sinon.stub().resolves() }),
  };
  const stdinText = overrides.stdinText ?? '';
  const tty = overrides.tty ?? false;
  const deps: CliDeps = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: (async function* () {
      if (stdinText) yield Buffer.from(stdinText, 'utf8');
    })(),
    isTTY: { stdin: tty, stdout: tty, stderr: tty },
    env: {},
    platform: 'linux',
    createTransport,
    confirm,
    api,
    ...overrides,
  };
  return { deps, stdout: () => out, stderr: () => err, createTransport, confirm, api, transport };
}

/**
 * Show, then ask: on a terminal, a command that confirms runs its dry run first and asks only when the plan
 * has something to do. This makes `operation`'s dry run plan one Active session (alice, 3) on each host, and
 * its real run return that as done.
 */
export function planOn(operation: sinon.SinonStub, hosts: readonly string[]): void {
  const report = (status: 'planned' | 'done') => ({
    hosts: hosts.map((host) => ({ host, status: status === 'planned' ? 'planned' : 'drained', reason: null, sessionsLeft: [], state: 'enabled' })),
    actions: hosts.flatMap((host) => [
      { host, sessionId: null, username: null, action: 'block-logons', status, reason: 'mode drain' },
      { host, sessionId: 3, username: 'alice', action: 'logoff', status, reason: null, ...(status === 'planned' ? { state: 'Active' } : {}) },
    ]),
    errors: [],
    interrupted: false,
  });
  operation.callsFake(async (options: { dryRun?: boolean }) => report(options.dryRun ? 'planned' : 'done'));
}
