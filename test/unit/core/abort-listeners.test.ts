/*
 * Dozens of hosts in flight never pile listeners onto the run's AbortSignal. Each call, wait and maintenance
 * used to add its own 'abort' listener to it: past 10 at once (about 11 hosts in flight) Node printed
 * MaxListenersExceededWarning, and rollout's CLI lifted the limit to hide it. Virtual time only.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { drain, logoff } from '../../../src/core/index.js';
import { rollout } from '../../../src/core/rollout/index.js';
import { createFakeTransport, systemSessions, type FakeHostSpec } from '../../helpers/fake-transport.js';
import { useVirtualTime } from '../../helpers/virtual-time.js';

const HOSTS = 40;
const names = Array.from({ length: HOSTS }, (_, i) => `rds${String(i + 1).padStart(2, '0')}`);

function farm(): ReturnType<typeof createFakeTransport> {
  const hosts: Record<string, FakeHostSpec> = {};
  for (const [i, name] of names.entries()) {
    hosts[name] = { latencyMs: 50, sessions: [...systemSessions(), { id: 3, username: `u${i}`, sessionName: 'rdp-tcp#1', state: 'Active' }, { id: 4, username: `d${i}`, sessionName: null, state: 'Disc' }] };
  }
  return createFakeTransport({ hosts });
}

/** Runs `work` in virtual time and returns the process warnings it caused, and the listeners it left on `signal`. */
async function warningsOf(signal: AbortSignal, work: () => Promise<unknown>): Promise<{ warnings: string[]; left: number }> {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  const time = useVirtualTime();
  try {
    await time.run(work());
  } finally {
    time.restore();
  }
  // process warnings are emitted on a later tick.
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  return { warnings, left: getEventListeners(signal, 'abort').length };
}

describe(`${HOSTS} hosts in flight on one AbortSignal`, function () {
  this.timeout(120_000);

  it('drain (grace, reminders, retries): no MaxListenersExceededWarning, no listener left on the signal', async () => {
    const controller = new AbortController();
    const transport = farm();
    const { warnings, left } = await warningsOf(controller.signal, () =>
      drain({ transport, servers: names, concurrency: HOSTS, graceMs: 120_000, remindEveryMs: 30_000, pollIntervalMs: 10_000, signal: controller.signal }),
    );
    assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
    assert.equal(left, 0);
  });

  it('logoff --message --grace: the same', async () => {
    const controller = new AbortController();
    const transport = farm();
    const { warnings, left } = await warningsOf(controller.signal, () =>
      logoff({ transport, servers: names, concurrency: HOSTS, all: true, message: 'bye', graceMs: 60_000, signal: controller.signal }),
    );
    assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
    assert.equal(left, 0);
  });

  it('rollout (one wave of 40, marks, maintenance, waiting for the hosts): the same', async () => {
    const controller = new AbortController();
    const transport = farm();
    const { warnings, left } = await warningsOf(controller.signal, () =>
      rollout({
        transport,
        servers: names,
        concurrency: HOSTS,
        canary: 0,
        maxUnavailable: HOSTS,
        graceMs: 120_000,
        warnAtMs: [60_000],
        signal: controller.signal,
        onWarning: () => undefined,
        maintain: (_host, signal) => new Promise((resolve) => signal.aborted || setTimeout(resolve, 30_000)),
      }),
    );
    assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
    assert.equal(left, 0);
  });

  it('an abort still reaches every host in flight', async () => {
    const controller = new AbortController();
    const transport = farm();
    let report: Awaited<ReturnType<typeof drain>> | undefined;
    const { warnings } = await warningsOf(controller.signal, async () => {
      setTimeout(() => controller.abort(), 30_000);
      report = await drain({ transport, servers: names, concurrency: HOSTS, graceMs: 600_000, signal: controller.signal });
    });
    assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
    assert.equal(report?.interrupted, true);
    assert.deepEqual(new Set(report?.hosts.map((h) => h.status)), new Set(['interrupted']));
  });
});
