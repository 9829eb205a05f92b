import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLogWriter, exitCodeFor, mergeReports } from '../../../src/core/index.js';
import type { ActionRecord, AuditEvent, DrainReport } from '../../../src/core/index.js';

const action = (host: string, status: ActionRecord['status']): ActionRecord => ({ host, sessionId: 3, username: 'u', action: 'logoff', status, reason: null });

describe('core/report', () => {
  it('exitCodeFor: 0 only when nothing failed, was refused or was not found', () => {
    assert.equal(exitCodeFor({ sessions: [], errors: [] }), 0);
    assert.equal(exitCodeFor({ sessions: [], errors: [{ host: 'a', code: 'ERR_TIMEOUT', message: 'x' }] }), 1);
    for (const [status, code] of [['done', 0], ['already-gone', 0], ['planned', 0], ['skipped', 0], ['refused', 1], ['not-found', 1], ['failed', 1]] as const) {
      assert.equal(exitCodeFor({ actions: [action('a', status)], errors: [], interrupted: false }), code, status);
    }
    assert.equal(exitCodeFor({ actions: [], errors: [], interrupted: true }), 1);
  });

  it('exitCodeFor a drain: 0 only when every host is drained (or planned in a dry run)', () => {
    const drain = (statuses: DrainReport['hosts'][number]['status'][]): DrainReport => ({
      actions: [],
      errors: [],
      interrupted: false,
      hosts: statuses.map((status, i) => ({ host: `h${i}`, status, reason: null, sessionsLeft: [] })),
    });
    assert.equal(exitCodeFor(drain(['drained', 'drained'])), 0);
    assert.equal(exitCodeFor(drain(['planned'])), 0);
    assert.equal(exitCodeFor(drain(['drained', 'failed'])), 1);
    assert.equal(exitCodeFor(drain(['interrupted'])), 1);
  });

  it('mergeReports concatenates shards and sorts by host, stably', () => {
    const merged = mergeReports([
      { actions: [action('rds02', 'done'), action('RDS01', 'done')], errors: [{ host: 'rds03', code: 'ERR_TIMEOUT', message: 't' }], interrupted: false },
      { actions: [action('rds01', 'failed')], errors: [], interrupted: false, hosts: [{ host: 'rds01', status: 'failed', reason: 'x', sessionsLeft: [] }] },
    ]);
    assert.deepEqual(merged.actions?.map((a) => `${a.host} ${a.status}`), ['RDS01 done', 'rds01 failed', 'rds02 done']);
    assert.deepEqual(merged.errors.map((e) => e.host), ['rds03']);
    assert.equal(merged.hosts?.length, 1);
    assert.equal(merged.interrupted, false);
    assert.equal(exitCodeFor(merged), 1);
  });

  it('mergeReports merges list reports', () => {
    const merged = mergeReports([{ sessions: [{ host: 'b', id: 1 }], errors: [] }, { sessions: [{ host: 'a', id: 2 }], errors: [] }]);
    assert.deepEqual(merged.sessions?.map((s) => s.host), ['a', 'b']);
    assert.equal(merged.actions, undefined);
  });

  it('mergeReports rejects malformed input, naming it', () => {
    assert.throws(() => mergeReports([{ errors: [] }, 'nope']), { code: 'ERR_INVALID_ARGUMENT', value: '#2' });
    assert.throws(() => mergeReports([{ actions: [] }]), { code: 'ERR_INVALID_ARGUMENT', value: '#1' });
    assert.throws(() => mergeReports([{ errors: [], actions: [{ status: 'done' }] }]), { code: 'ERR_INVALID_ARGUMENT' });
  });

  it('createAuditLogWriter appends one JSON line per event, in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-audit-'));
    try {
      const file = join(dir, 'audit.jsonl');
      const writer = createAuditLogWriter(file);
      const event = (i: number): AuditEvent => ({ time: '2026-11-25T14:00:00.000Z', operator: 'ops', host: 'a', sessionId: i, username: 'u', action: 'logoff', result: 'done', reason: null });
      for (let i = 0; i < 20; i++) writer.write(event(i));
      await writer.flush();
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      assert.deepEqual(lines.map((l) => (JSON.parse(l) as AuditEvent).sessionId), Array.from({ length: 20 }, (_, i) => i));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('createAuditLogWriter reports a write error on flush', async () => {
    const writer = createAuditLogWriter(join(tmpdir(), 'no-such-dir-sl', 'x', 'audit.jsonl'));
    writer.write({ time: 't', operator: 'o', host: 'a', sessionId: null, username: null, action: 'block-logons', result: 'done', reason: null });
    await assert.rejects(writer.flush(), { code: 'ENOENT' });
  });
});
