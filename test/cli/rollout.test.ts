import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { createTransport } from '../../src/run/create-transport.js';
import sinon from 'sinon';
import { fakeDeps } from './fake-deps.js';

const FARM = fileURLToPath(new URL('../../examples/farm.json', import.meta.url));
const SIM = ['--transport', 'simulated', '--farm', FARM];
const OK = ['--', process.execPath, '-e', '0'];

describe('cli: rollout', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-rollout-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('invalid input is exit 2 before any transport exists', async () => {
    const state = join(dir, 'state.json');
    await writeFile(state, JSON.stringify({ kind: 'session-logoff-rollout', version: 1, command: ['patch', '{host}'], options: {}, waves: [], hosts: [{ host: 'rds01', status: 'pending', phase: 'pending' }] }));
    const cases: [string[], RegExp][] = [
      [['rollout', '-s', 'rds01', '--yes'], /needs the maintenance command after --/],
      [['rollout', '-s', 'rds01', 'patch', '--yes'], /unexpected argument "patch"/],
      [['rollout', '-s', 'rds01', '--max-unavailable', '0', '--yes', ...OK], /invalid --max-unavailable "0"/],
      [['rollout', '-s', 'rds01', '--max-unavailable', '150%', '--yes', ...OK], /invalid --max-unavailable/],
      [['rollout', '-s', 'rds01', '--canary', '-1', '--yes', ...OK], /--canary/],
      [['rollout', '-s', 'rds01', '--on-failure', 'undo', '--yes', ...OK], /--on-failure/],
      [['rollout', '-s', 'rds01', '--grace', '25h', '--yes', ...OK], /--grace/],
      [['rollout', '-s', 'rds01', '--warn-at', '5m,x', '--yes', ...OK], /--warn-at/],
      [['rollout', '-s', 'rds01', '--exec-timeout', '0', '--yes', ...OK], /--exec-timeout/],
      [['rollout', '-s', 'rds01', '--notify-url', 'ftp://x', '--yes', ...OK], /--notify-url/],
      [['rollout', '-s', 'rds01', '--rerun-interrupted', '--yes', ...OK], /only applies with --resume/],
      [['rollout', '-s', 'rds01', '--farm-state', 'f.json', '--yes', ...OK], /only used with --transport simulated/],
      [['rollout', '-s', 'rds01', '--cancel-message', '', '--yes', ...OK], /cancel-message/],
      [['rollout', '--resume', state, '-s', 'rds02', '--yes'], /--server cannot change on --resume/],
      [['rollout', '--resume', state, '--grace', '1m', '--yes'], /--grace cannot change on --resume/],
      [['rollout', '--resume', state, '--state', 'x.json', '--yes'], /invalid --state with --resume/],
      [['rollout', '--resume', state, '--yes', '--', 'other'], /runs "patch \{host\}": resume it without a command/],
      [['rollout', '--resume', join(dir, 'missing.json'), '--yes'], /cannot read the rollout state file/],
      [['rollout', 'status', join(dir, 'missing.json')], /cannot read the rollout state file/],
      [['rollout', '-s', 'rds01', ...OK], /pass --yes/],
    ];
    for (const [argv, message] of cases) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 2, `${argv.join(' ')}: ${f.stderr()}`);
      assert.match(f.stderr(), message, argv.join(' '));
      sinonNotCalled(f.createTransport, argv);
    }
  });

  // rollout built its transport without them: `--source text` read sessions through WTS anyway (auto), and
  // the PowerShell pool ignored --concurrency.
  it('--source and --concurrency reach the transport as for the other commands; --source wts needs --transport powershell', async () => {
    const spy = sinon.spy(createTransport);
    const f = fakeDeps({ createTransport: spy });
    assert.equal(await main(['rollout', '-s', 'rdsh04', ...SIM, '--source', 'text', '--concurrency', '3', '--dry-run', '--', 'patch'], f.deps), 0, f.stderr());
    const options = spy.firstCall.args[1] as { source?: string; concurrency?: number };
    assert.equal(options.source, 'text');
    assert.equal(options.concurrency, 3);
    const g = fakeDeps({ createTransport });
    assert.equal(await main(['rollout', '-s', 'rdsh04', ...SIM, '--source', 'wts', '--dry-run', '--', 'patch'], g.deps), 2);
    assert.match(g.stderr(), /invalid --source wts: the WTS API is read through --transport powershell/u);
  });

  it('a dry run prints the waves, fewest sessions first, and runs nothing', async () => {
    const f = fakeDeps({ createTransport });
    const code = await main(['rollout', '--servers-file', fileURLToPath(new URL('../../examples/servers.txt', import.meta.url)), ...SIM, '--max-unavailable', '2', '--dry-run', '--json', '--', 'patch', '{host}'], f.deps);
    assert.equal(code, 0, f.stderr());
    const report = JSON.parse(f.stdout()) as { waves: string[][]; dryRun: boolean };
    assert.deepEqual(report.waves, [['rdsh04'], ['rdsh02', 'rdsh03'], ['rdsh01']]);
    assert.equal(report.dryRun, true);
  });

  it('runs the command per host; --report and --state are written; rollout status exits 0 when all are done', async () => {
    const state = join(dir, 'state.json');
    const reportFile = join(dir, 'report.json');
    const f = fakeDeps({ createTransport });
    const code = await main(['rollout', '-s', 'rdsh04', '-s', 'rdsh03', ...SIM, '--grace', '0', '--state', state, '--report', reportFile, '--yes', '--', process.execPath, '-e', 'console.log("patched " + process.env.SESSION_LOGOFF_HOST)'], f.deps);
    assert.equal(code, 0, f.stderr());
    assert.match(f.stderr(), /\[rdsh04\] patched rdsh04\n/);
    assert.match(f.stdout(), /rdsh04 +1 +done +done +allowed/);
    const written = JSON.parse(await readFile(reportFile, 'utf8')) as { hosts: { status: string }[] };
    assert.deepEqual(written.hosts.map((h) => h.status), ['done', 'done']);
    const s = fakeDeps();
    assert.equal(await main(['rollout', 'status', state, '--json'], s.deps), 0, s.stderr());
    assert.deepEqual((JSON.parse(s.stdout()) as { hosts: { host: string }[] }).hosts.map((h) => h.host), ['rdsh04', 'rdsh03']);
  });
});

function sinonNotCalled(stub: { called: boolean }, argv: readonly string[]): void {
  assert.equal(stub.called, false, `${argv.join(' ')}: a transport was created`);
}
