/*
 * Warnings that reach everyone (issue 9), in a rollout's drain as in `drain` (core/grace.ts): each user's
 * deadline is fixed when their own warning goes out and is the one its text names ({deadline}, {minutes});
 * --warn-at marks count back from each user's own deadline and go to whoever is Active then; a user who
 * becomes Active during the grace and was never warned is warned at once and gets at least the late notice.
 * A resumed host keeps the deadline each user was given. Virtual time only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LATE_NOTICE_MS } from '../../../../src/core/grace.js';
import { rollout, type RolloutOptions, type RolloutReport, type RolloutStateDoc } from '../../../../src/core/rollout/index.js';
import { createFakeTransport, systemSessions, type FakeSession, type FakeTransport } from '../../../helpers/fake-transport.js';
import { useVirtualTime } from '../../../helpers/virtual-time.js';
import { recordCalls, type RecordedCall } from '../../../helpers/record-calls.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-25T14:00:00');
const TEMPLATE = '{host}: logoff at {deadline}, in {minutes} min';

type Call = RecordedCall;

function record(transport: FakeTransport, messageMs = 0, onMessage?: (id: number) => void): Call[] {
  return recordCalls(transport, { t0: T0, messageMs, ...(onMessage ? { onMessage } : {}) });
}

/** Runs a one-host rollout in virtual time; `setup` schedules what happens during it (fake timers installed). */
function run(transport: FakeTransport, options: Partial<RolloutOptions> = {}, setup: () => void = () => undefined): Promise<RolloutReport> {
  const time = useVirtualTime(T0);
  setup();
  return time
    .run(
      rollout({
        transport,
        servers: ['rds01'],
        blockLogons: 'none',
        graceMs: 10 * MINUTE,
        pollIntervalMs: 10_000,
        warnAtMs: [5 * MINUTE, MINUTE],
        message: TEMPLATE,
        onWarning: () => undefined,
        maintain: async () => undefined,
        ...options,
      }),
    )
    .finally(() => time.restore());
}

const messagesTo = (calls: Call[], id: number): Call[] => calls.filter((c) => c.what === 'message' && c.id === id);
const logoffOf = (calls: Call[], id: number): Call => {
  const found = calls.find((c) => c.what === 'logoff' && c.id === id);
  assert.ok(found, `no logoff for session ${id}: ${JSON.stringify(calls.map((c) => `${c.what} ${c.id}`))}`);
  return found;
};
/** The deadline a text names ("at HH:MM"), as ms since T0 (the start of that minute). */
const named = (text: string): number => {
  const m = /at (\d\d):(\d\d)/u.exec(text);
  assert.ok(m, text);
  return (Number(m[1]) - 14) * 60 * MINUTE + Number(m[2]) * MINUTE;
};
const minutesIn = (text: string): number => Number(/in (\d+) min/u.exec(text)?.[1]);
const active = (id: number, username: string): FakeSession => ({ id, username, sessionName: `rdp-tcp#${id}`, state: 'Active' });

function setState(transport: FakeTransport, id: number, state: 'Active' | 'Disc', at: number): void {
  setTimeout(() => {
    const session = transport.host('rds01').sessions.find((s) => s.id === id);
    if (session) Object.assign(session, { state, sessionName: state === 'Active' ? `rdp-tcp#${id + 10}` : null });
  }, at);
}

describe('core/rollout: warnings reach everyone (the drain grace)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rollout-grace-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('on a busy host (each msg takes 40 s) every user gets the whole grace after their own warning; {deadline}, {minutes} and the marks are theirs', async () => {
    const users = [5, 6, 7].map((id) => active(id, `u${id}`));
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), ...users] } } });
    const stateFile = join(dir, 'state.json');
    const savedFirst: number[] = [];
    // The state file names a user as warned before their warning goes out (a cancel message must reach them).
    const calls = record(transport, 40_000, (id) => {
      const doc = JSON.parse(readFileSync(stateFile, 'utf8')) as RolloutStateDoc;
      if (doc.hosts[0]?.warned.some((w) => w.id === id)) savedFirst.push(id);
    });
    const report = await run(transport, { stateFile, timeoutMs: 60_000 });
    assert.equal(report.hosts[0]?.status, 'done', report.hosts[0]?.reason ?? '');
    for (const { id } of users) {
      const [first, ...marks] = messagesTo(calls, id);
      assert.ok(first, `u${id} warned`);
      const off = logoffOf(calls, id);
      assert.ok(off.start >= first.end + 10 * MINUTE, `u${id}: warned ${first.start}-${first.end}, logged off at ${off.start}`);
      // The deadline named is this user's own (their warning + the grace), and the logoff does not come before it.
      assert.equal(named(first.text), Math.floor((first.start + 10 * MINUTE) / MINUTE) * MINUTE, `u${id}: ${first.text}`);
      assert.ok(off.start >= named(first.text));
      assert.deepEqual([first, ...marks].map((c) => minutesIn(c.text)), [10, 5, 1], `u${id}`);
      for (const mark of marks) {
        assert.equal(named(mark.text), named(first.text), `u${id}: every warning names the same deadline`);
        // "{minutes}" is true when the mark goes out: counted back from this user's own deadline.
        assert.ok(mark.start >= first.start + 10 * MINUTE - minutesIn(mark.text) * MINUTE, `u${id}: mark at ${mark.start} says ${mark.text}`);
        assert.ok(mark.start < first.start + 10 * MINUTE - (minutesIn(mark.text) - 1) * MINUTE, `u${id}: mark at ${mark.start} says ${mark.text}`);
      }
    }
    assert.deepEqual(savedFirst.slice(0, 3), [5, 6, 7]);
  });

  for (const at of [30_000, 7 * MINUTE, 9.5 * MINUTE]) {
    it(`a user who reconnects ${at / 1000} s into the grace is warned at once and gets at least the late notice`, async () => {
      const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc' };
      const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), active(3, 'alice'), bob] } } });
      const calls = record(transport);
      const report = await run(transport, {}, () => setState(transport, 4, 'Active', at));
      assert.equal(report.hosts[0]?.status, 'done', report.hosts[0]?.reason ?? '');
      const [warned] = messagesTo(calls, 4);
      assert.ok(warned, 'bob is warned');
      assert.ok(warned.start <= at + 10_000, `warned at the first poll after he came back (${warned.start})`);
      const off = logoffOf(calls, 4);
      assert.ok(off.start >= warned.end + DEFAULT_LATE_NOTICE_MS, `bob warned at ${warned.end}, logged off at ${off.start}`);
      assert.ok(off.start >= 10 * MINUTE, 'never before the grace ends');
      assert.ok(off.start >= named(warned.text), warned.text);
      assert.ok(logoffOf(calls, 3).start >= messagesTo(calls, 3)[0]!.end + 10 * MINUTE, 'alice keeps her whole grace');
    });
  }

  it('marks go to whoever is Active at the mark: not to a user who disconnected, and to one who reconnected', async () => {
    const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc' };
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), active(3, 'alice'), bob] } } });
    const calls = record(transport);
    await run(transport, {}, () => {
      setState(transport, 3, 'Disc', MINUTE);
      setState(transport, 4, 'Active', MINUTE);
    });
    assert.deepEqual(messagesTo(calls, 3).map((c) => minutesIn(c.text)), [10], 'alice: her first warning only');
    const toBob = messagesTo(calls, 4);
    assert.ok((toBob[0]?.start ?? Infinity) <= MINUTE + 10_000, 'bob is warned at the first poll after he came back');
    assert.deepEqual(toBob.map((c) => `${minutesIn(c.text)} ${named(c.text) / MINUTE}`), ['9 10', '5 10', '1 10'], 'bob: his warning naming the end of the grace (later than the late notice), then his marks');
  });

  it('a resumed host keeps the deadline each warned user was given; a user never warned gets a warning and the whole grace', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), active(3, 'alice'), active(4, 'bob')] } } });
    const calls = record(transport);
    const stateFile = join(dir, 'state.json');
    // What kill -9 mid-grace leaves: alice was warned 8 minutes ago (deadline in 2 minutes); bob never was.
    const aliceDeadline = new Date(T0 + 2 * MINUTE).toISOString();
    const doc: RolloutStateDoc = {
      kind: 'session-logoff-rollout',
      version: 1,
      createdAt: new Date(T0 - 8 * MINUTE).toISOString(),
      updatedAt: new Date(T0).toISOString(),
      command: null,
      options: { maxUnavailable: 1, minServing: 0, canary: 1, maxFailed: 0, onFailure: 'keep', blockLogons: 'none', message: TEMPLATE, cancelMessage: 'cancelled', graceMs: 10 * MINUTE, warnAtMs: [5 * MINUTE, MINUTE], pollIntervalMs: 10_000, verifyTimeoutMs: MINUTE, waitBackMs: MINUTE, maintainTimeoutMs: MINUTE, leaseMs: 3_600_000 },
      hosts: [{ host: 'rds01', status: 'running', phase: 'draining', reason: null, sessions: 2, initialLogons: 'enabled', blockedAt: null, deadline: aliceDeadline, warned: [{ id: 3, username: 'alice', deadline: aliceDeadline }], maintenanceStartedAt: null, wave: 1, logons: 'untouched' }],
      waves: [['rds01']],
      stopped: null,
      runs: 1,
    };
    await writeFile(stateFile, JSON.stringify(doc));
    const report = await run(transport, { servers: undefined as never, resumeFrom: stateFile });
    assert.equal(report.hosts[0]?.status, 'done', report.hosts[0]?.reason ?? '');
    assert.deepEqual(messagesTo(calls, 3).map((c) => `${minutesIn(c.text)} ${named(c.text) / MINUTE}`), ['1 2'], 'alice: only her 1-minute mark, naming her deadline');
    assert.ok(logoffOf(calls, 3).start >= 2 * MINUTE && logoffOf(calls, 3).start < 2 * MINUTE + 10_000, 'alice goes at her own deadline');
    const [bobFirst] = messagesTo(calls, 4);
    assert.equal(bobFirst?.start, 0);
    assert.equal(minutesIn(bobFirst.text), 10);
    assert.ok(logoffOf(calls, 4).start >= bobFirst.end + 10 * MINUTE);
  });
});
