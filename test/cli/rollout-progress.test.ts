import assert from 'node:assert/strict';
import { startRolloutProgress } from '../../src/cli/rollout/progress.js';
import { createContext } from '../../src/cli/context.js';
import type { RolloutHostState } from '../../src/core/rollout/types.js';
import { fakeDeps } from './fake-deps.js';

const NOW = Date.parse('2026-11-25T14:00:00Z');
const host = (name: string, phase: RolloutHostState['phase'], deadline: string | null = null): RolloutHostState => ({
  host: name, status: 'running', phase, reason: null, sessions: 1, initialLogons: 'enabled', blockedAt: null, deadline, warned: [], maintenanceStartedAt: null, wave: 2, logons: 'blocked',
});

describe('cli: rollout progress on a terminal', () => {
  it('shows the wave, hosts done and failed, each host in flight with its phase and the grace left', () => {
    const f = fakeDeps({ tty: true });
    const progress = startRolloutProgress(f.deps, createContext(), 10, () => NOW);
    try {
      progress.event({ event: 'wave-started', time: '', wave: 2 });
      progress.event({ event: 'host-done', time: '', host: 'rds00' });
      progress.event({ event: 'host-failed', time: '', host: 'rds09' });
      progress.host(host('rds01', 'draining', new Date(NOW + 250_000).toISOString()));
      progress.host(host('rds02', 'maintaining'));
      progress.event({ event: 'host-drained', time: '', host: 'rds01' });
      const last = f.stderr().split('\r\u001b[K').at(-1);
      assert.equal(last, 'wave 2 · 1/10 done, 1 failed · rds01 draining 4:10 left, rds02 maintaining');
      progress.host({ ...host('rds02', 'done'), status: 'done' });
      progress.clear();
      assert.ok(f.stderr().endsWith('\r\u001b[K'), 'cleared for other output');
    } finally {
      progress.stop();
    }
  });

  it('nothing off a terminal or with --quiet', () => {
    const f = fakeDeps({ tty: false });
    const progress = startRolloutProgress(f.deps, createContext(), 3);
    progress.event({ event: 'wave-started', time: '', wave: 1 });
    progress.stop();
    assert.equal(f.stderr(), '');
  });
});
