/*
 * Library callbacks (onProgress, onEvent, onWarning) that throw or reject never stop the work of a host,
 * never leave work running after the call has settled, and never crash the process (an unhandled rejection
 * would). Each failing callback is reported once: through onWarning, or process.emitWarning when onWarning is
 * the one failing (or absent).
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { drain, listSessions, logoff } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';
import { useVirtualTime } from '../../helpers/virtual-time.js';

const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc' };
const carl: FakeSession = { id: 5, username: 'carl', sessionName: null, state: 'Disc' };
const hosts = { a: { sessions: [...systemSessions(), bob], latencyMs: 10 }, b: { sessions: [...systemSessions(), bob], latencyMs: 50 }, c: { sessions: [...systemSessions(), bob], latencyMs: 10 } };

// Kept before any test fakes the timers: the watch below must let real turns pass under virtual time too.
const realSetImmediate = globalThis.setImmediate;

/** Collects unhandled rejections while `work` runs, and for a few turns after. */
async function withRejectionWatch<T>(work: () => Promise<T>): Promise<{ value: T; unhandled: unknown[] }> {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown): void => {
    unhandled.push(reason);
  };
  // Mocha installs its own listener; ours sees the same events.
  process.on('unhandledRejection', listener);
  try {
    const value = await work();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => realSetImmediate(resolve));
    return { value, unhandled };
  } finally {
    process.off('unhandledRejection', listener);
  }
}

describe('library callbacks that throw or reject', () => {
  it('onProgress throwing: the call settles only when every host is done, with every host in the report', async () => {
    const transport = createFakeTransport({ hosts });
    const warnings: string[] = [];
    const time = useVirtualTime();
    try {
      let inFlightAtSettle = -1;
      const report = await time.run(
        listSessions({ transport, servers: ['a', 'b', 'c'], concurrency: 2, onWarning: (m) => warnings.push(m), onProgress: () => {
          throw new Error('progress bar broke');
        } }).finally(() => {
          inFlightAtSettle = transport.inFlight;
        }),
      );
      assert.equal(inFlightAtSettle, 0, 'nothing running when the call settled');
      assert.deepEqual(report.sessions.map((s) => s.host), ['a', 'b', 'c']);
      assert.equal(warnings.filter((w) => /onProgress/.test(w)).length, 1, 'reported once');
      assert.match(warnings.find((w) => /onProgress/.test(w)) ?? '', /progress bar broke/);
    } finally {
      time.restore();
    }
  });

  it('onEvent throwing: every logoff still happens, and the failure is reported once', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), bob, carl] } });
    const warnings: string[] = [];
    const report = await logoff({ transport, all: true, onWarning: (m) => warnings.push(m), onEvent: () => {
      throw new Error('audit disk full');
    } });
    assert.deepEqual(report.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`), ['logoff 4 done', 'logoff 5 done']);
    assert.deepEqual(report.errors, []);
    assert.equal(warnings.filter((w) => /onEvent.*audit disk full/.test(w)).length, 1);
  });

  it('an async onEvent that rejects leaves no unhandled rejection, and is reported once', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), bob, carl] } });
    const warnings: string[] = [];
    const { value: report, unhandled } = await withRejectionWatch(() =>
      logoff({ transport, all: true, onWarning: (m) => warnings.push(m), onEvent: async () => {
        throw new Error('audit share gone');
      } }),
    );
    assert.deepEqual(unhandled, []);
    assert.deepEqual(report.actions.map((a) => a.status), ['done', 'done']);
    assert.equal(warnings.filter((w) => /onEvent.*audit share gone/.test(w)).length, 1);
  });

  it('onWarning throwing: the run goes on; the failure goes to process.emitWarning once', async () => {
    const emit = sinon.stub(process, 'emitWarning');
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), bob, { id: 6, username: 'ann', sessionName: 'rdp-tcp#2', state: 'Active' }] } });
    // Logging off an Active session without --message warns: onWarning is called, and throws.
    const report = await logoff({ transport, all: true, onWarning: () => {
      throw new Error('stderr closed');
    } });
    emit.restore();
    assert.deepEqual(report.actions.map((a) => a.status), ['done', 'done']);
    assert.equal(emit.callCount, 1);
    assert.match(String(emit.firstCall.args[0]), /onWarning.*stderr closed/);
  });

  it('a drain whose every callback rejects still drains and settles with nothing in flight', async () => {
    const emit = sinon.stub(process, 'emitWarning');
    const transport = createFakeTransport({ hosts: { a: { sessions: [...systemSessions(), bob], latencyMs: 10 }, b: { sessions: [...systemSessions(), carl], latencyMs: 30 } } });
    const time = useVirtualTime();
    try {
      const fail = async (): Promise<void> => {
        throw new Error('nope');
      };
      const { value: report, unhandled } = await withRejectionWatch(() =>
        time.run(drain({ transport, servers: ['a', 'b'], concurrency: 1, blockLogons: 'none', graceMs: 0, onEvent: fail, onProgress: fail, onWarning: fail })),
      );
      assert.deepEqual(unhandled, []);
      assert.deepEqual(report.hosts.map((h) => h.status), ['drained', 'drained']);
      assert.equal(transport.inFlight, 0);
      // onWarning rejects too, so every report goes to process.emitWarning: one per failing callback.
      assert.equal(emit.callCount, 3);
    } finally {
      time.restore();
      emit.restore();
    }
  });
});

describe('runPool: a lane that rejects', () => {
  it('stops new starts, and the pool rejects only once the other lanes have stopped', async () => {
    const { runPool } = await import('../../../src/core/pool.js');
    const time = useVirtualTime();
    try {
      const log: string[] = [];
      const worker = async (item: number): Promise<number> => {
        log.push(`start ${item}`);
        await new Promise((resolve) => setTimeout(resolve, item === 0 ? 10 : 50));
        log.push(`end ${item}`);
        if (item === 0) throw 'not an Error';
        return item;
      };
      const settled = time.run(runPool([0, 1, 2, 3], worker, () => false, { concurrency: 2 }).then(() => 'resolved', (e: unknown) => `rejected ${String(e)}`));
      assert.equal(await settled, 'rejected not an Error');
      assert.deepEqual(log, ['start 0', 'start 1', 'end 0', 'end 1'], 'item 1 ran to its end; nothing new started');
    } finally {
      time.restore();
    }
  });
});

describe('rollout callbacks (onRolloutEvent, onHostPhase) that throw or reject', () => {
  it('never crash the process nor stop the rollout, and are each reported once', async () => {
    const { rollout } = await import('../../../src/core/rollout/index.js');
    const transport = createFakeTransport({ hosts: { rds01: { sessions: systemSessions() }, rds02: { sessions: systemSessions() } } });
    const warnings: string[] = [];
    const { value: report, unhandled } = await withRejectionWatch(() =>
      rollout({
        transport,
        servers: ['rds01', 'rds02'],
        graceMs: 0,
        onWarning: (m) => warnings.push(m),
        maintain: async () => undefined,
        onRolloutEvent: async () => {
          throw new Error('webhook down');
        },
        onHostPhase: () => {
          throw new Error('dashboard broke');
        },
      }),
    );
    assert.deepEqual(unhandled, []);
    assert.deepEqual(report.hosts.map((h) => h.status), ['done', 'done']);
    assert.equal(warnings.filter((w) => /onRolloutEvent.*webhook down/.test(w)).length, 1);
    assert.equal(warnings.filter((w) => /onHostPhase.*dashboard broke/.test(w)).length, 1);
  });
});
