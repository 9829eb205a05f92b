/*
 * Library run options mean what the README says, or are refused before any host is touched:
 * durations past setTimeout's limit (2^31-1 ms, 24.8 days) fired after 1 ms; concurrency NaN ran nothing,
 * retries NaN retried an unreachable host forever.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { drain, listSessions, logoff, logons, sendMessage } from '../../../src/core/index.js';
import { createContext, NO_TIMEOUT, realSleep } from '../../../src/core/context.js';
import type { HostRunOptions } from '../../../src/core/types.js';
import type { RunOptions } from '../../../src/run/runner.js';
import type { QueryKind } from '../../../src/run/transport.js';
import { MAX_TIMER_MS, MAX_WAIT_MS } from '../../../src/validate.js';
import { createFakeTransport, systemSessions, type FakeTransport } from '../../helpers/fake-transport.js';
import { fakeClock } from './clock.js';

const DAY = 86_400_000;
const users = () => [...systemSessions(), { id: 3, username: 'ann', sessionName: null, state: 'Disc' as const }];
const quiet = { onWarning: () => undefined };

/** Every operation, given the same run options: each must refuse bad ones before calling the transport. */
function everyOperation(transport: FakeTransport, extra: Partial<HostRunOptions>): [string, () => Promise<unknown>][] {
  const clock = fakeClock();
  const base = { transport, ...quiet, sleep: clock.sleep, now: clock.now, ...extra };
  return [
    ['listSessions', () => listSessions(base)],
    ['logoff', () => logoff({ ...base, all: true })],
    ['sendMessage', () => sendMessage({ ...base, all: true, text: 'hi' })],
    ['drain', () => drain({ ...base, graceMs: 0 })],
    ['logons', () => logons({ ...base, mode: 'drain' })],
  ];
}

async function assertRefused(extra: Partial<HostRunOptions>, argument: string): Promise<void> {
  const transport = createFakeTransport({ local: { sessions: users() } });
  for (const [name, run] of everyOperation(transport, extra)) {
    await assert.rejects(run(), { name: 'ValidationError', code: 'ERR_INVALID_ARGUMENT', argument }, `${name} ${JSON.stringify(extra)}`);
  }
  assert.deepEqual(transport.calls, []);
}

describe('library run options: concurrency', () => {
  for (const value of [Number.NaN, 0, -1, 1.5, Number.POSITIVE_INFINITY, 257]) {
    it(`concurrency ${value} is invalid input, checked before any host is touched`, async () => {
      await assertRefused({ concurrency: value }, 'concurrency');
    });
  }

  it('1 and 256 (the CLI range) are accepted, and bound the calls in flight', async () => {
    for (const concurrency of [1, 256]) {
      const transport = createFakeTransport({ hosts: { a: { sessions: users(), latencyMs: 5 }, b: { sessions: users(), latencyMs: 5 }, c: { sessions: users(), latencyMs: 5 } } });
      const report = await listSessions({ transport, servers: ['a', 'b', 'c'], concurrency });
      assert.deepEqual(report.errors, []);
      assert.equal(transport.peakInFlight, Math.min(concurrency, 3));
    }
  });
});

describe('library run options: timeoutMs', () => {
  for (const value of [Number.NaN, -1, Number.NEGATIVE_INFINITY, MAX_WAIT_MS + 1, MAX_TIMER_MS + 1, Number.MAX_SAFE_INTEGER]) {
    it(`timeoutMs ${value} is invalid input (never a timer that overflows and fires at once)`, async () => {
      await assertRefused({ timeoutMs: value }, 'timeoutMs');
    });
  }

  it('undefined is 30 s; 0 and Infinity mean no per-call timeout (RunContext.timeoutMs NO_TIMEOUT = 0); up to 24 h as given', () => {
    const transport = createFakeTransport();
    assert.equal(NO_TIMEOUT, 0);
    assert.equal(createContext({ transport }).timeoutMs, 30_000);
    assert.equal(createContext({ transport, timeoutMs: 0 }).timeoutMs, NO_TIMEOUT);
    assert.equal(createContext({ transport, timeoutMs: Number.POSITIVE_INFINITY }).timeoutMs, NO_TIMEOUT);
    assert.equal(createContext({ transport, timeoutMs: 250 }).timeoutMs, 250);
    assert.equal(createContext({ transport, timeoutMs: MAX_WAIT_MS }).timeoutMs, MAX_WAIT_MS);
  });

  it('Infinity reaches the transport as 0, which every transport reads as "no timeout" (execa refuses Infinity)', async () => {
    const transport = createFakeTransport({ local: { sessions: users() } });
    const seen: (number | undefined)[] = [];
    const query = transport.query.bind(transport);
    transport.query = (host: string | null, kind: QueryKind, options?: RunOptions) => {
      seen.push(options?.timeoutMs);
      return query(host, kind, options);
    };
    const report = await listSessions({ transport, timeoutMs: Number.POSITIVE_INFINITY });
    assert.deepEqual(report.errors, []);
    assert.deepEqual(seen, [0]);
  });

  it('with no per-call timeout, the deadline backstop does not cut a slow answer at 0 + 2 s', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const transport = createFakeTransport({ local: { sessions: users() } });
    const query = transport.query.bind(transport);
    transport.query = async (host: string | null, kind: QueryKind, options?: RunOptions) => {
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      return query(host, kind, options);
    };
    const pending = listSessions({ transport, timeoutMs: 0 });
    // Past the slow answer, and the fake transport's own (0 ms) latency timer after it.
    await clock.tickAsync(61_000);
    const report = await pending;
    assert.deepEqual(report.errors, []);
    assert.equal(report.sessions.length, 1);
  });
});

describe('library run options: retries and retryDelayMs', () => {
  for (const value of [Number.NaN, -1, 1.5, 11, Number.POSITIVE_INFINITY]) {
    it(`retries ${value} is invalid input (NaN retried an unreachable host forever)`, async () => {
      await assertRefused({ retries: value }, 'retries');
    });
  }
  for (const value of [Number.NaN, -1, Number.POSITIVE_INFINITY, MAX_WAIT_MS + 1]) {
    it(`retryDelayMs ${value} is invalid input`, async () => {
      await assertRefused({ retryDelayMs: value }, 'retryDelayMs');
    });
  }
});

describe('library waits: at most 24 h, never a timer that overflows', () => {
  it('graceMs, remindEveryMs, pollIntervalMs and verifyTimeoutMs above 24 h are invalid input', async () => {
    const transport = createFakeTransport({ local: { sessions: users() } });
    for (const key of ['graceMs', 'remindEveryMs', 'pollIntervalMs', 'verifyTimeoutMs'] as const) {
      await assert.rejects(drain({ transport, [key]: 25 * DAY }), { code: 'ERR_INVALID_ARGUMENT', argument: key });
      await assert.rejects(drain({ transport, [key]: MAX_WAIT_MS + 1 }), { code: 'ERR_INVALID_ARGUMENT', argument: key });
    }
    await assert.rejects(logoff({ transport, all: true, message: 'bye', graceMs: 25 * DAY }), { code: 'ERR_INVALID_ARGUMENT', argument: 'graceMs' });
    assert.deepEqual(transport.calls, []);
  });

  it('24 h exactly is accepted', async () => {
    const transport = createFakeTransport({ local: { sessions: users() } });
    const clock = fakeClock();
    const report = await drain({ transport, graceMs: MAX_WAIT_MS, verifyTimeoutMs: MAX_WAIT_MS, remindEveryMs: MAX_WAIT_MS, pollIntervalMs: MAX_WAIT_MS, sleep: clock.sleep, now: clock.now, ...quiet });
    assert.equal(report.hosts[0]?.status, 'drained');
  });
});

describe('realSleep', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  async function settledAfter(promise: Promise<void>, ms: number): Promise<boolean> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await clock.tickAsync(ms);
    return settled;
  }

  it('a wait past setTimeout\'s 24.8-day limit (a retry backoff: 24 h doubled 9 times) is not over after 1 ms, nor at 24.8 days', async () => {
    const ms = 512 * DAY;
    const sleep = realSleep(ms);
    assert.equal(await settledAfter(sleep, 1), false);
    assert.equal(await settledAfter(sleep, MAX_TIMER_MS), false);
    assert.equal(await settledAfter(sleep, ms - MAX_TIMER_MS - 2), false);
    assert.equal(await settledAfter(sleep, 1), true);
    assert.equal(clock.countTimers(), 0);
  });

  it('25 days is exactly 25 days', async () => {
    const sleep = realSleep(25 * DAY);
    assert.equal(await settledAfter(sleep, 25 * DAY - 1), false);
    assert.equal(await settledAfter(sleep, 1), true);
  });

  it('an abort in the middle of a chained wait rejects with the reason and leaves no timer behind', async () => {
    const controller = new AbortController();
    const sleep = realSleep(30 * DAY, controller.signal);
    const outcome = sleep.then(() => 'resolved', (e: unknown) => e);
    await clock.tickAsync(26 * DAY);
    controller.abort(new Error('stop'));
    assert.equal(((await outcome) as Error).message, 'stop');
    assert.equal(clock.countTimers(), 0);
  });

  it('0, negative and NaN resolve on the next timer turn', async () => {
    for (const ms of [0, -5, Number.NaN]) assert.equal(await settledAfter(realSleep(ms), 0), true);
  });
});
