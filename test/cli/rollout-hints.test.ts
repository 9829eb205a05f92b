/*
 * What a rollout tells the operator: recovery hints that can be pasted as they are (as drain's, issue 12),
 * and host errors at the end of an ndjson stream (as every other command's).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { createTransport } from '../../src/run/create-transport.js';
import { farmOf } from '../helpers/rollout-farm.js';
import { fakeDeps } from './fake-deps.js';

const FAIL = ['--', process.execPath, '-e', 'process.exit(3)'];
const OK = ['--', process.execPath, '-e', '0'];
const FAST = ['--grace', '0', '--retries', '0', '--yes'];
/** Every host fails its maintenance and none stops the rollout. */
const ALL_FAIL = ['--canary', '0', '--max-failed', '100', '--max-unavailable', '100%'];

/** `sh -c`'s single quotes, as shellWord writes them on POSIX. */
const q = (word: string): string => `'${word.replace(/'/g, `'"'"'`)}'`;

function hint(stderr: string, pattern: RegExp): string {
  const match = pattern.exec(stderr);
  assert.ok(match, stderr);
  return match[1] ?? '';
}
const enableHint = (stderr: string): string => hint(stderr, /to allow them again: (session-logoff logons enable .*)$/m);
const resumeHint = (stderr: string): string => hint(stderr, /to continue: (session-logoff rollout --resume .*)$/m);

describe('cli: rollout recovery hints can be pasted as printed', function () {
  this.timeout(60_000);
  let dir: string;
  let farm: string;
  let sim: string[];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli rollout's hints-"));
    farm = join(dir, 'my farm.json');
    await writeFile(farm, JSON.stringify(farmOf(7, (i) => ({ latencyMs: 0, sessions: [], ...(i === 2 ? { fault: 'unreachable' } : {}) }))));
    sim = ['--transport', 'simulated', '--farm', farm];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const hosts = ['rds01', 'rds03', 'rds04', 'rds05', 'rds06', 'rds07'];

  it('blocked logons: every host named (never "…"), with the transport, farm and audit log of the run, quoted', async () => {
    const audit = join(dir, 'audit log.jsonl');
    const f = fakeDeps({ createTransport, checkWritable: async () => undefined });
    const code = await main(['rollout', ...hosts.flatMap((h) => ['-s', h]), ...sim, '--audit-log', audit, ...ALL_FAIL, ...FAST, '--json', ...FAIL], f.deps);
    assert.equal(code, 1, f.stderr());
    assert.doesNotMatch(f.stderr(), /…|same --transport/);
    assert.equal(enableHint(f.stderr()), `session-logoff logons enable ${hosts.map((h) => `-s ${h}`).join(' ')} --transport simulated --farm ${q(farm)} --audit-log ${q(audit)} --yes`);
    // The library cannot know how the CLI reached the host: the reason says what stays, the hint above how to undo it.
    const report = JSON.parse(f.stdout()) as { hosts: { reason: string | null }[] };
    for (const h of report.hosts) assert.doesNotMatch(h.reason ?? '', /logons enable -s/);
  });

  it('blocked logons on every host of the servers file: the file is named, not its hosts', async () => {
    const list = join(dir, 'farm hosts.txt');
    await writeFile(list, hosts.join('\n') + '\n');
    const f = fakeDeps({ createTransport });
    await main(['rollout', '--servers-file', list, ...sim, ...ALL_FAIL, ...FAST, ...FAIL], f.deps);
    assert.equal(enableHint(f.stderr()), `session-logoff logons enable --servers-file ${q(list)} --transport simulated --farm ${q(farm)} --yes`);
  });

  it('to continue: --resume with the state file, transport, farm and farm state of the run (no hosts: they are in the file)', async () => {
    const state = join(dir, 'roll out.json');
    const farmState = join(dir, 'farm state.json');
    const f = fakeDeps({ createTransport });
    const code = await main(['rollout', '-s', 'rds01', '-s', 'rds03', '-s', 'rds04', ...sim, '--farm-state', farmState, '--state', state, ...FAST, ...FAIL], f.deps);
    assert.equal(code, 1, f.stderr());
    assert.equal(resumeHint(f.stderr()), `session-logoff rollout --resume ${q(state)} --transport simulated --farm ${q(farm)} --farm-state ${q(farmState)} --yes`);
    assert.equal(enableHint(f.stderr()), `session-logoff logons enable -s rds01 --transport simulated --farm ${q(farm)} --yes`);
    const again = fakeDeps({ createTransport });
    assert.notEqual(await main(['rollout', '--resume', state, ...sim, '--farm-state', farmState, '--yes'], again.deps), 2, again.stderr());
  });

  // The resumed run must read sessions the way this one did: without --source it would be auto again.
  it('to continue: a --source other than auto is repeated', async () => {
    const state = join(dir, 'state.json');
    const f = fakeDeps({ createTransport });
    assert.equal(await main(['rollout', '-s', 'rds01', '-s', 'rds03', '-s', 'rds04', ...sim, '--source', 'text', '--state', state, ...FAST, ...FAIL], f.deps), 1, f.stderr());
    assert.equal(resumeHint(f.stderr()), `session-logoff rollout --resume ${q(state)} --transport simulated --farm ${q(farm)} --source text --yes`);
  });

  it('rollout status: the --expired hint quotes the state file and repeats the --transport and --farm it is given', async () => {
    const state = join(dir, 'roll out.json');
    const f = fakeDeps({ createTransport });
    await main(['rollout', '-s', 'rds01', '-s', 'rds03', ...sim, '--state', state, '--lease', '0', ...FAST, ...FAIL], f.deps);
    const later = (): Date => new Date(Date.now() + 60_000);
    let s = fakeDeps({ now: later });
    assert.equal(await main(['rollout', 'status', state, ...sim], s.deps), 1, s.stderr());
    assert.doesNotMatch(s.stderr(), /same --transport/);
    assert.equal(enableHint(s.stderr()), `session-logoff logons enable --expired ${q(state)} --transport simulated --farm ${q(farm)} --yes`);
    // Without them it cannot know: it says so before the command, which still ends the line as it can be pasted.
    s = fakeDeps({ now: later });
    await main(['rollout', 'status', state], s.deps);
    assert.equal(hint(s.stderr(), /to allow them again \(add the --transport and --farm the rollout ran with, if not the defaults\): (.*)$/m), `session-logoff logons enable --expired ${q(state)} --yes`);
  });
});

describe('cli: rollout --format ndjson ends with one error record per failed host', function () {
  this.timeout(60_000);
  let dir: string;
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('host records, then {"type":"error",host,code,message}', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-rollout-ndjson-'));
    const farm = join(dir, 'farm.json');
    await writeFile(farm, JSON.stringify(farmOf(3, (i) => ({ latencyMs: 0, sessions: [], ...(i === 2 ? { fault: 'unreachable' } : {}) }))));
    const f = fakeDeps({ createTransport });
    await main(['rollout', '-s', 'rds01', '-s', 'rds02', '-s', 'rds03', '--transport', 'simulated', '--farm', farm, ...ALL_FAIL, ...FAST, '--format', 'ndjson', ...OK], f.deps);
    const records = f.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(records.slice(0, 3).map((r) => r['host']).sort(), ['rds01', 'rds02', 'rds03'], 'one record per host first');
    const errors = records.filter((r) => r['type'] === 'error');
    assert.equal(errors.length, 1, f.stdout());
    assert.deepEqual(Object.keys(errors[0] ?? {}), ['type', 'host', 'code', 'message']);
    assert.equal(errors[0]?.['host'], 'rds02');
    assert.deepEqual(records[records.length - 1], errors[0], 'the errors come last');
  });
});
