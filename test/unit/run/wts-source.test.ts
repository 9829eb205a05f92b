import assert from 'node:assert/strict';
import sinon from 'sinon';
import { logoff } from '../../../src/core/logoff.js';
import { describeFailure } from '../../../src/core/failure.js';
import { HostError } from '../../../src/errors.js';
import type { PsEnvelope, PsFunction, PsHost } from '../../../src/run/ps-host.js';
import type { RunOptions, RunResult } from '../../../src/run/runner.js';
import type { Transport } from '../../../src/run/transport.js';
import { createWtsSource, wtsRunResult } from '../../../src/run/wts-source.js';
import { withWtsSource } from '../../../src/run/wts-transport.js';
import { enumerationError } from '../../../src/sim/sim-errors.js';

function envelope(data: unknown, overrides: Partial<PsEnvelope> = {}): PsEnvelope {
  return { exitCode: 0, stdout: '', stderr: '', spawnError: null, error: null, data, timedOut: false, aborted: false, durationMs: 2, ...overrides };
}

const AVAILABLE = { Available: true, Windows: true };
const session = (id: number, user: string | null, state = 0) => ({ Id: id, State: state, SessionName: `rdp-tcp#${id}`, UserName: user ?? '', IdleMinutes: 0 });
const sessions = (...list: unknown[]) => ({ Available: true, Win32Error: 0, Sessions: list, CurrentSessionId: null });
const win32 = (code: number, fn = 'WTSLogoffSession') => ({ Available: true, Win32Error: code, Function: fn });

type Handler = (fn: PsFunction, payload: Record<string, unknown>) => PsEnvelope;

function fakePsHost(handler: Handler) {
  const invoke = sinon.stub<[PsFunction, Record<string, unknown>, RunOptions?], Promise<PsEnvelope>>().callsFake(async (fn, payload) => handler(fn, payload));
  const psHost: PsHost = { invoke, dispose: async () => undefined };
  return { psHost, invoke };
}

function textResult(overrides: Partial<RunResult> = {}): RunResult {
  return { command: 'quser', exitCode: 0, stdout: '', stderr: '', timedOut: false, aborted: false, spawnError: null, durationMs: 1, ...overrides };
}

/** The text side: quser printing one user, so a fallback is visible in the records' source. */
function textTransport(): Transport & { calls: string[] } {
  const calls: string[] = [];
  const table = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n alice                 rdp-tcp#3           2  Active          .  3/2/2026 8:12 AM\r\n';
  return {
    calls,
    name: 'powershell',
    query: async () => (calls.push('query'), textResult({ stdout: table })),
    logoff: async () => (calls.push('logoff'), textResult()),
    message: async () => (calls.push('message'), textResult()),
    setLogons: async () => textResult(),
    getLogons: async () => ({ state: 'enabled', result: textResult() }),
    dateOrder: async () => 'mdy',
    dispose: async () => undefined,
  };
}

describe('WTS source (stubbed PsHost)', () => {
  it('auto: one probe for many concurrent calls, then every query through WTSEnumerateSessionsExW', async () => {
    const { psHost, invoke } = fakePsHost((fn) => (fn === 'wtsProbe' ? envelope(AVAILABLE) : envelope(sessions(session(2, 'alice'), session(0, null, 4)))));
    const transport = withWtsSource(textTransport(), psHost, 'auto');
    const results = await Promise.all(['rds1', 'rds2', 'rds3'].map((h) => transport.query(h, 'quser')));
    assert.equal(invoke.getCalls().filter((c) => c.args[0] === 'wtsProbe').length, 1);
    assert.deepEqual(results.map((r) => r.sessions?.map((s) => `${s.id}:${s.source}`)), [['2:wts'], ['2:wts'], ['2:wts']]);
    const all = await transport.query('rds1', 'query-session');
    assert.deepEqual(all.sessions?.map((s) => s.id), [0, 2]);
    sinon.assert.calledWith(invoke, 'wtsSessions', { server: 'rds1' });
  });

  it('auto on Windows where Add-Type is refused: text, and the warning once per transport', async () => {
    const { psHost } = fakePsHost(() => envelope({ Available: false, Reason: 'Add-Type is not allowed in ConstrainedLanguage mode', Windows: true }));
    const text = textTransport();
    const transport = withWtsSource(text, psHost, 'auto');
    const first = await transport.query('rds1', 'quser');
    const second = await transport.query('rds2', 'quser');
    assert.match(first.warning ?? '', /--source auto: the WTS API cannot be used in this PowerShell \(Add-Type is not allowed in ConstrainedLanguage mode\)/);
    assert.equal(second.warning, undefined);
    assert.deepEqual(text.calls, ['query', 'query']);
    await transport.logoff('rds1', 2);
    assert.deepEqual(text.calls, ['query', 'query', 'logoff']);
  });

  it('auto on a non-Windows shell without wtsapi32: text without a warning; a refused Add-Type still warns', async () => {
    const quiet = withWtsSource(textTransport(), fakePsHost(() => envelope({ Available: false, Reason: 'wtsapi32 could not be loaded', Windows: false })).psHost, 'auto');
    assert.equal((await quiet.query('rds1', 'quser')).warning, undefined);
    const refused = withWtsSource(textTransport(), fakePsHost(() => envelope({ Available: false, Reason: 'Add-Type was refused: x', Windows: false })).psHost, 'auto');
    assert.match((await refused.query('rds1', 'quser')).warning ?? '', /Add-Type was refused/);
  });

  it('wts: a shell that cannot use the API fails the host (ERR_UNSUPPORTED_OPERATION), nothing falls back', async () => {
    const text = textTransport();
    const transport = withWtsSource(text, fakePsHost(() => envelope({ Available: false, Reason: 'wtsapi32 could not be loaded', Windows: false })).psHost, 'wts');
    await assert.rejects(transport.query('rds1', 'quser'), (error: unknown) => error instanceof HostError && error.code === 'ERR_UNSUPPORTED_OPERATION' && error.host === 'rds1');
    assert.deepEqual(text.calls, []);
  });

  it('a probe that timed out is asked again on the next call, and that call reads text meanwhile', async () => {
    let probes = 0;
    const { psHost } = fakePsHost((fn) => {
      if (fn !== 'wtsProbe') return envelope(sessions(session(2, 'alice')));
      probes++;
      return probes === 1 ? envelope(null, { exitCode: null, timedOut: true }) : envelope(AVAILABLE);
    });
    const transport = withWtsSource(textTransport(), psHost, 'auto');
    assert.equal((await transport.query('rds1', 'quser')).sessions, undefined);
    assert.deepEqual((await transport.query('rds1', 'quser')).sessions?.map((s) => s.source), ['wts']);
    assert.equal(probes, 2);
  });

  it('Win32 errors classify exactly as the text tools\' bracketed codes do (same HostError codes)', () => {
    for (const code of [5, 1722, 1825] as const) {
      const viaWts = wtsRunResult(envelope(win32(code, 'WTSEnumerateSessionsExW')), 'x');
      const viaText = textResult({ exitCode: 1, stderr: enumerationError(code) });
      assert.equal(describeFailure('rds1', viaWts, 'query', 30_000)?.code, describeFailure('rds1', viaText, 'query', 30_000)?.code, String(code));
    }
    assert.equal(describeFailure('rds1', wtsRunResult(envelope(win32(5)), 'x'), 'logoff', 30_000)?.code, 'ERR_ACCESS_DENIED');
    assert.equal(describeFailure('rds1', wtsRunResult(envelope(win32(1722)), 'x'), 'logoff', 30_000)?.code, 'ERR_HOST_UNREACHABLE');
    // The shell's own outcome (timeout, crash) is kept as it is for text calls.
    const timedOut = wtsRunResult(envelope(null, { exitCode: null, timedOut: true }), 'x');
    assert.equal(describeFailure('rds1', timedOut, 'query', 30_000)?.code, 'ERR_TIMEOUT');
    assert.equal(describeFailure('rds1', wtsRunResult(envelope({ Available: 'yes' }), 'x'), 'query', 30_000)?.code, 'ERR_UNEXPECTED_OUTPUT');
  });

  // They said "quser on rds1 gave no answer ...; the process was killed" and "access denied on rds1 (quser)"
  // for calls that ran no program: the operator looked for the wrong thing.
  it('failure messages of WTS calls name the API call, not a program; the permission hint stays the operation\'s', () => {
    const denied = describeFailure('rds1', wtsRunResult(envelope(win32(5, 'WTSEnumerateSessionsExW')), 'x', 'WTSEnumerateSessionsExW'), 'quser', 30_000);
    assert.match(denied?.message ?? '', /^access denied on rds1 \(WTSEnumerateSessionsExW\): listing sessions needs query rights/u);
    const timedOut = describeFailure('rds1', wtsRunResult(envelope(null, { exitCode: null, timedOut: true }), 'x', 'WTSLogoffSession'), 'logoff', 30_000);
    assert.equal(timedOut?.message, 'WTSLogoffSession on rds1 gave no answer within 30 s; the call was cancelled');
    const odd = describeFailure('rds1', wtsRunResult(envelope({ Available: 'yes' }), 'x', 'WTSSendMessageW'), 'msg', 30_000);
    assert.match(odd?.message ?? '', /^WTSSendMessageW on rds1 failed/u);
    const aborted = describeFailure('rds1', wtsRunResult(envelope(null, { exitCode: null, aborted: true }), 'x', 'WTSEnumerateSessionsExW'), 'quser', 30_000);
    assert.equal(aborted?.message, 'WTSEnumerateSessionsExW on rds1 was interrupted');
    // Text calls are named as before.
    assert.match(describeFailure('rds1', textResult({ exitCode: null, timedOut: true }), 'quser', 30_000)?.message ?? '', /^quser on rds1 gave no answer within 30 s; the process was killed$/u);
  });

  it('logoff through WTS: 7022 (session not found) is already-gone only after a re-query shows it gone; 5 fails with the rights hint', async () => {
    let gone = false;
    const { psHost } = fakePsHost((fn, payload) => {
      if (fn === 'wtsProbe') return envelope(AVAILABLE);
      if (fn === 'wtsLogoff') {
        gone = payload['sessionId'] === 3;
        return envelope(win32(payload['sessionId'] === 3 ? 7022 : 5));
      }
      return envelope(sessions(session(2, 'alice', 4), ...(gone ? [] : [session(3, 'bob', 4)])));
    });
    const transport = withWtsSource(textTransport(), psHost, 'wts');
    const report = await logoff({ transport, servers: ['rds1'], states: ['Disconnected'], timeoutMs: 5000 });
    const byId = new Map(report.actions.map((a) => [a.sessionId, a]));
    assert.equal(byId.get(3)?.status, 'already-gone');
    assert.equal(byId.get(2)?.status, 'failed');
    assert.match(byId.get(2)?.reason ?? '', /access denied on rds1.*Full Control/);
  });

  it('message: title (default session-logoff), text and timeout go as data; a bad title is refused before any call', async () => {
    const { psHost, invoke } = fakePsHost((fn) => (fn === 'wtsProbe' ? envelope(AVAILABLE) : envelope({ Available: true, Win32Error: 0, Response: 32001 })));
    const transport = withWtsSource(textTransport(), psHost, 'wts');
    const result = await transport.message('rds1', 4, "a\r\n$(whoami) ' ’", { seconds: 30 });
    assert.equal(result.exitCode, 0);
    sinon.assert.calledWith(invoke, 'wtsMessage', { sessionId: 4, server: 'rds1', seconds: 30, title: 'session-logoff', text: "a\n$(whoami) ' ’" });
    await transport.message(null, 4, 'x', { title: 'IT – maintenance' });
    sinon.assert.calledWith(invoke, 'wtsMessage', { sessionId: 4, server: '', seconds: 0, title: 'IT – maintenance', text: 'x' });
    const before = invoke.callCount;
    await assert.rejects(transport.message('rds1', 4, 'x', { title: 'two\nlines' }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(transport.logoff('rds1', 0), { code: 'ERR_INVALID_ARGUMENT' });
    assert.equal(invoke.callCount, before);
  });

  it('the date order (a culture read: reg.exe) is asked only when text will be parsed', async () => {
    const text = textTransport();
    const viaWts = withWtsSource(text, fakePsHost(() => envelope(AVAILABLE)).psHost, 'auto');
    assert.equal(await viaWts.dateOrder(), null);
    const fallen = withWtsSource(text, fakePsHost(() => envelope({ Available: false, Reason: 'wtsapi32 could not be loaded', Windows: false })).psHost, 'auto');
    assert.equal(await fallen.dateOrder(), 'mdy');
  });

  it('takeWarning is undefined until a fallback happened', () => {
    const source = createWtsSource(fakePsHost(() => envelope(AVAILABLE)).psHost, 'auto');
    assert.equal(source.takeWarning(), undefined);
  });
});
