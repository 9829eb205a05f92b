import assert from 'node:assert/strict';
import sinon from 'sinon';
import { PromptInterruptedError } from '../../src/cli/confirm.js';
import { main } from '../../src/cli/main.js';
import { exitCodeFor, mergeReports } from '../../src/core/report.js';
import type { SessionRecord } from '../../src/types.js';
import { fakeDeps, planOn } from './fake-deps.js';

// Defects found by driving the built CLI by hand (tmux, simulated farm); each test failed before its fix.

function session(over: Partial<SessionRecord>): SessionRecord {
  return { host: 'rds01', id: 2, username: 'alice', sessionName: 'rdp-tcp#1', state: 'Active', stateText: 'Active', idleMinutes: 0, idleText: '.', logonTime: '2026-11-24T09:03', logonText: '11/24/2026 9:03 AM', isCurrent: false, type: null, device: null, ...over };
}

describe('CLI: yargs complaints become one specific line', () => {
  const CASES: [string[], string][] = [
    [['list', '--format', 'xml'], 'session-logoff: invalid --format "xml": expected table, json, ndjson or csv (see session-logoff list --help)\n'],
    [['list', '--transport', 'ssh'], 'session-logoff: invalid --transport "ssh": expected exec, powershell or simulated (see session-logoff list --help)\n'],
    [['logons', 'pause'], 'session-logoff: invalid <action> "pause": expected status, drain, drain-until-restart, disable or enable (see session-logoff logons --help)\n'],
    [['parse', 'who'], 'session-logoff: invalid <kind> "who": expected quser or query-session (see session-logoff parse --help)\n'],
    [['list', '-s'], 'session-logoff: -s needs a value (see session-logoff list --help)\n'],
    [['drain', '--grace'], 'session-logoff: --grace needs a value (see session-logoff drain --help)\n'],
    [['logons'], 'session-logoff: missing argument: usage is session-logoff logons <status|drain|drain-until-restart|disable|enable> (see session-logoff logons --help)\n'],
    [['parse'], 'session-logoff: missing argument: usage is session-logoff parse <quser|query-session> [file] (see session-logoff parse --help)\n'],
    [['report'], 'session-logoff: missing argument: usage is session-logoff report merge <files..> (see session-logoff report --help)\n'],
    [['message', '3', '--text', 'hi', '--time', '0'], 'session-logoff: invalid --time "0": expected a whole number from 1 to 86400\n'],
    [['list', '--grace', '5m'], 'session-logoff: --grace is not an option of list; it belongs to logoff or drain (see session-logoff list --help)\n'],
    [['drain', '--text', 'hi', '--yes'], 'session-logoff: --text is not an option of drain; it belongs to message (see session-logoff drain --help)\n'],
    [['logoff', '3', '--dryrun'], 'session-logoff: unknown option --dryrun. Did you mean --dry-run? (see session-logoff logoff --help)\n'],
  ];
  for (const [argv, expected] of CASES) {
    it(argv.join(' '), async () => {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 2);
      assert.equal(f.stderr(), expected);
      sinon.assert.notCalled(f.createTransport);
    });
  }

  it('--json with an explicit other --format is a contradiction (it silently printed JSON); with the default it is not', async () => {
    for (const argv of [['list', '--json', '--format', 'csv'], ['list', '-o', 'ndjson', '--json'], ['list', '--format=table', '--json']]) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 2, argv.join(' '));
      assert.match(f.stderr(), /^session-logoff: --json contradicts --format (csv|ndjson|table): give one of them/);
      sinon.assert.notCalled(f.createTransport);
    }
    for (const argv of [['list', '--json'], ['list', '--json', '--format', 'json']]) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 0, argv.join(' '));
    }
  });

  it('file errors are said in words, with the code kept', async () => {
    const readFile = sinon.stub().rejects(Object.assign(new Error('x'), { code: 'ENOENT' }));
    const f = fakeDeps({ readFile });
    assert.equal(await main(['list', '--servers-file', '/nonexistent'], f.deps), 2);
    assert.equal(f.stderr(), 'session-logoff: cannot read --servers-file "/nonexistent": no such file or directory (ENOENT)\n');
  });
});

describe('CLI: report merge', () => {
  const list1 = { sessions: [session({ host: 'rdsh01' })], errors: [] };
  const list2 = { sessions: [session({ host: 'rdsh03', username: '王小明' })], errors: [{ host: 'rdsh04', code: 'ERR_TIMEOUT', message: 'no answer' }] };
  const drain1 = { hosts: [{ host: 'rdsh01', status: 'drained', reason: null, sessionsLeft: [] }], actions: [], errors: [], interrupted: false };
  const drain2 = { hosts: [{ host: 'RDSH02', status: 'drained', reason: null, sessionsLeft: [] }], actions: [], errors: [], interrupted: false };
  const logoff1 = { actions: [{ host: 'rdsh09', sessionId: 3, username: 'bob', action: 'logoff', status: 'done', reason: null }], errors: [], interrupted: false };
  const files: Record<string, unknown> = { 'l1.json': list1, 'l2.json': list2, 'd1.json': drain1, 'd2.json': drain2, 'o1.json': logoff1 };
  const merge = (argv: string[]) => {
    const f = fakeDeps({ readFile: async (p: string) => Buffer.from(JSON.stringify(files[p])) });
    f.api.mergeReports.callsFake(mergeReports);
    f.api.exitCodeFor.callsFake(exitCodeFor);
    return main(['report', ...argv], f.deps).then((code) => ({ code, stdout: f.stdout(), stderr: f.stderr() }));
  };

  it('only "merge" is an action: `report foo a.json` no longer merges', async () => {
    const r = await merge(['foo', 'd1.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid <action> "foo": expected merge/);
    assert.equal(r.stdout, '');
  });

  it('two shards of list reports merge; the table shows the sessions (it was empty)', async () => {
    const r = await merge(['merge', 'l1.json', 'l2.json', '--format', 'table']);
    assert.equal(r.code, 1, 'rdsh04 failed in shard 2');
    assert.match(r.stdout, /^HOST\s+USERNAME/);
    assert.match(r.stdout, /rdsh01\s+alice/);
    assert.match(r.stdout, /rdsh03\s+王小明/);
  });

  it('two drain shards merge into one report covering each host once', async () => {
    const r = await merge(['merge', 'd1.json', 'd2.json']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).hosts.map((h: { host: string }) => h.host), ['rdsh01', 'RDSH02']);
  });

  it('the same shard twice, or a host in two reports, is exit 2 naming the files', async () => {
    let r = await merge(['merge', 'd1.json', 'd1.json']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'session-logoff: host rdsh01 is in "d1.json", given twice: each host must come from one report (merge each --shard once)\n');
    assert.equal(r.stdout, '');
    r = await merge(['merge', 'l1.json', 'd1.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot merge "d1.json" \(drain\) with "l1.json" \(list\)/);
    r = await merge(['merge', 'd2.json', 'o1.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot merge "o1.json" \(logoff\/message\) with "d2.json" \(drain\)/);
  });

  it('a malformed report is named by its file, not by its position', async () => {
    files['bad.json'] = { errors: 'nope' };
    const r = await merge(['merge', 'd1.json', 'bad.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid report "bad.json"/);
  });
});

describe('CLI: parse reads stdin for a lone -', () => {
  it('`parse quser -` reads stdin (yargs turned "-" into "")', async () => {
    const f = fakeDeps({ stdinText: ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n>alice                 rdp-tcp#1           2  Active          .  2026-11-24 09:03\n' });
    delete (f.deps as { api?: unknown }).api;
    const readFile = sinon.stub().rejects(new Error('must not read a file'));
    f.deps.readFile = readFile;
    assert.equal(await main(['parse', 'quser', '-', '--json'], f.deps), 0, f.stderr());
    assert.equal(JSON.parse(f.stdout()).sessions[0].username, 'alice');
    sinon.assert.notCalled(readFile);
  });

  it('an explicitly empty file name is exit 2', async () => {
    const f = fakeDeps();
    assert.equal(await main(['parse', 'quser', ''], f.deps), 2);
    assert.match(f.stderr(), /invalid file ""/);
  });
});

describe('CLI: safety and feedback', () => {
  it('one explicit id on several hosts is a mass change: a non-TTY needs --yes, a TTY is asked', async () => {
    let f = fakeDeps();
    assert.equal(await main(['logoff', '2', '-s', 'rds01', '-s', 'rds02'], f.deps), 2);
    assert.match(f.stderr(), /Log off session 2 on 2 hosts: not on a terminal, so pass --yes/);
    sinon.assert.notCalled(f.createTransport);
    f = fakeDeps({ tty: true });
    planOn(f.api.logoff, ['rds01', 'rds02']);
    f.confirm.resolves(false);
    assert.equal(await main(['logoff', '2', '3', '-s', 'rds01', '-s', 'rds02'], f.deps), 1);
    assert.match(f.stderr(), /Plan: log off sessions 2, 3 on 2 hosts:/);
    assert.equal(f.confirm.firstCall.args[0], 'Log off these 2 sessions on 2 hosts? [y/N] ');
    sinon.assert.calledOnce(f.api.logoff);
    assert.equal(f.api.logoff.firstCall.args[0].dryRun, true, 'only the dry run ran');
    f = fakeDeps();
    assert.equal(await main(['logoff', '2', '-s', 'rds01'], f.deps), 0, 'one host: explicit, not confirmed');
  });

  it('a filter that matched nothing says so on stderr (exit 0); --quiet silences it', async () => {
    let f = fakeDeps();
    assert.equal(await main(['logoff', '--user', 'nobody', '-s', 'rds01', '-s', 'rds02', '--yes'], f.deps), 0);
    assert.equal(f.stderr(), 'session-logoff: warning: no session matched on 2 hosts: nothing to log off\n');
    f = fakeDeps();
    assert.equal(await main(['message', '--user', 'nobody', '--text', 'hi', '-q'], f.deps), 0);
    assert.equal(f.stderr(), '');
    f = fakeDeps();
    f.api.logoff.resolves({ actions: [], errors: [{ host: 'rds01', code: 'ERR_TIMEOUT', message: 'no answer' }], interrupted: false });
    assert.equal(await main(['logoff', '--all', '-s', 'rds01', '--yes'], f.deps), 1);
    assert.doesNotMatch(f.stderr(), /no session matched/, 'every host failed: no claim about matches');
  });

  it('an interrupted drain names the hosts whose logons stay blocked', async () => {
    const controller = new AbortController();
    controller.abort();
    const f = fakeDeps({ signal: controller.signal });
    f.api.drain.resolves({
      hosts: [
        { host: 'rds01', status: 'interrupted', reason: 'the run was interrupted', sessionsLeft: [] },
        { host: 'rds02', status: 'drained', reason: null, sessionsLeft: [] },
      ],
      actions: [
        { host: 'rds01', sessionId: null, username: null, action: 'block-logons', status: 'done', reason: 'mode drain' },
        { host: 'rds02', sessionId: null, username: null, action: 'block-logons', status: 'done', reason: 'mode drain' },
      ],
      errors: [],
      interrupted: true,
    });
    assert.equal(await main(['drain', '-s', 'rds01', '-s', 'rds02', '--yes', '--json'], f.deps), 130);
    assert.equal(JSON.parse(f.stdout()).interrupted, true);
    assert.equal(f.stderr(), 'session-logoff: warning: new logons stay blocked on 1 host(s) that were not drained; to allow them again: session-logoff logons enable -s rds01 --yes\n');
  });

  it('list --all-sessions shows TYPE and DEVICE (query session), not empty IDLE and LOGON TIME', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [session({ id: 0, username: null, sessionName: 'services', state: 'Disconnected', idleText: null, logonTime: null, logonText: null })], errors: [] });
    assert.equal(await main(['list', '--all-sessions', '-s', 'rds01'], f.deps), 0);
    assert.match(f.stdout(), /^HOST\s+USERNAME\s+SESSIONNAME\s+ID\s+STATE\s+TYPE\s+DEVICE\n/);
  });
});

describe('CLI: an empty list says so', () => {
  it('table: "no user sessions on …" on stderr; JSON and --quiet stay silent', async () => {
    let f = fakeDeps();
    assert.equal(await main(['list', '-s', 'rds01'], f.deps), 0);
    assert.equal(f.stdout(), '');
    assert.equal(f.stderr(), 'session-logoff: no user sessions on rds01\n');
    f = fakeDeps();
    assert.equal(await main(['list', '--all-sessions'], f.deps), 0);
    assert.equal(f.stderr(), 'session-logoff: no sessions on this machine\n');
    for (const extra of [['--json'], ['-q']]) {
      f = fakeDeps();
      assert.equal(await main(['list', '-s', 'rds01', ...extra], f.deps), 0);
      assert.equal(f.stderr(), '');
    }
    f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [], errors: [{ host: 'rds01', code: 'ERR_TIMEOUT', message: 'no answer' }] });
    assert.equal(await main(['list', '-s', 'rds01'], f.deps), 1);
    assert.equal(f.stderr(), 'session-logoff: rds01: no answer (ERR_TIMEOUT)\n', 'the host failed: no claim that it is empty');
  });
});

describe('CLI: logons status in every format', () => {
  const report = { hosts: [{ host: 'rds01', state: 'drain' as const }, { host: 'rds02', state: 'enabled' as const }], actions: [], errors: [], interrupted: false };
  it('ndjson and csv print one record per host (they printed nothing)', async () => {
    let f = fakeDeps();
    f.api.logons.resolves(report);
    assert.equal(await main(['logons', 'status', '-s', 'rds01', '-s', 'rds02', '--format', 'ndjson'], f.deps), 0);
    assert.deepEqual(f.stdout().trimEnd().split('\n').map((l) => JSON.parse(l)), report.hosts);
    f = fakeDeps();
    f.api.logons.resolves(report);
    assert.equal(await main(['logons', 'status', '-s', 'rds01', '-s', 'rds02', '--format', 'csv'], f.deps), 0);
    assert.equal(f.stdout(), 'host,state\r\nrds01,drain\r\nrds02,enabled\r\n');
  });

  it('a logons change still prints its actions', async () => {
    const f = fakeDeps();
    f.api.logons.resolves({ ...report, actions: [{ host: 'rds01', sessionId: null, username: null, action: 'allow-logons', status: 'done', reason: 'mode enable' }] });
    assert.equal(await main(['logons', 'enable', '-s', 'rds01', '--yes', '--format', 'ndjson'], f.deps), 0);
    assert.equal(JSON.parse(f.stdout().trim()).action, 'allow-logons');
  });
});

describe('CLI: Ctrl-C at the confirmation prompt', () => {
  it('is exit 130 with "nothing done", not "unexpected error" (exit 1); nothing runs', async () => {
    const f = fakeDeps({ tty: true });
    planOn(f.api.drain, ['rds01']);
    f.confirm.rejects(new PromptInterruptedError('interrupted at the confirmation prompt'));
    assert.equal(await main(['drain', '-s', 'rds01'], f.deps), 130);
    assert.match(f.stderr(), /\nsession-logoff: interrupted: nothing done\.\n$/);
    sinon.assert.calledOnce(f.api.drain);
    assert.equal(f.api.drain.firstCall.args[0].dryRun, true, 'only the dry run ran');
  });
});

describe('CLI: --servers-file as Windows writes it', () => {
  it('UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), and UTF-8 with BOM', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('rds01\r\nrds02\r\n', 'utf16le')]);
    const utf8 = Buffer.from('\ufeffrds03\r\nrds04\r\n', 'utf8');
    for (const [bytes, hosts] of [[utf16, ['rds01', 'rds02']], [utf8, ['rds03', 'rds04']]] as const) {
      const f = fakeDeps({ readFile: async () => bytes });
      assert.equal(await main(['list', '--servers-file', 'servers.txt'], f.deps), 0, f.stderr());
      assert.deepEqual(f.api.listSessions.firstCall.args[0].servers, hosts);
    }
  });
});

describe('CLI: files a run must write are checked before anything changes', () => {
  const denied = Object.assign(new Error('x'), { code: 'EACCES' });
  it('--audit-log that cannot be written: exit 2, no transport, nothing done', async () => {
    const checkWritable = sinon.stub().rejects(denied);
    const f = fakeDeps({ checkWritable });
    assert.equal(await main(['logoff', '3', '-s', 'rds01', '--audit-log', '/var/log/x.jsonl'], f.deps), 2);
    assert.equal(f.stderr(), 'session-logoff: cannot write --audit-log "/var/log/x.jsonl": permission denied (EACCES); nothing was done\n');
    sinon.assert.calledOnceWithExactly(checkWritable, '/var/log/x.jsonl', 'append');
    sinon.assert.notCalled(f.createTransport);
  });

  it('drain --report that cannot be written: exit 2 before the drain starts', async () => {
    const checkWritable = sinon.stub().rejects(denied);
    const f = fakeDeps({ checkWritable });
    assert.equal(await main(['drain', '-s', 'rds01', '--yes', '--report', 'out/r.json'], f.deps), 2);
    sinon.assert.calledOnceWithExactly(checkWritable, 'out/r.json', 'replace');
    sinon.assert.notCalled(f.api.drain);
  });

  it('writable files pass and the run goes on', async () => {
    const checkWritable = sinon.stub().resolves();
    const writeFile = sinon.stub().resolves();
    const f = fakeDeps({ checkWritable, writeFile });
    assert.equal(await main(['drain', '-s', 'rds01', '--yes', '--report', 'r.json', '--audit-log', 'a.jsonl'], f.deps), 0);
    sinon.assert.calledTwice(checkWritable);
    sinon.assert.calledOnceWithMatch(writeFile, 'r.json');
    sinon.assert.calledOnce(f.api.drain);
  });
});

describe('CLI: progress is drawn at once and ticks', () => {
  it('"0/N hosts done · 0:00" before any host finishes, the clock advances, the line is erased at the end', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const f = fakeDeps({ tty: true });
      let release: () => void = () => undefined;
      f.api.drain.callsFake(() => new Promise((resolve) => (release = () => resolve({ hosts: [], actions: [], errors: [], interrupted: false }))));
      const run = main(['drain', '-s', 'rds01', '-s', 'rds02', '--yes'], f.deps);
      await clock.tickAsync(0);
      assert.match(f.stderr(), /^\r\u001b\[K0\/2 hosts done · 0:00$/);
      await clock.tickAsync(65_000);
      assert.match(f.stderr(), /0\/2 hosts done · 1:05$/);
      release();
      assert.equal(await run, 0);
      assert.ok(f.stderr().endsWith('\r\u001b[K'), 'erased');
      const before = f.stderr();
      await clock.tickAsync(5_000);
      assert.equal(f.stderr(), before, 'stopped');
    } finally {
      clock.restore();
    }
  });
});

describe('CLI: host summaries', () => {
  it('drain names the sessions left on a failed host; logons has no empty DETAIL column', async () => {
    let f = fakeDeps();
    f.api.drain.resolves({
      hosts: [{ host: 'rds01', status: 'failed', reason: 'sessions remain after verify', sessionsLeft: [session({ id: 7, username: 'bob' }), session({ id: 9, username: 'eve' })] }],
      actions: [], errors: [], interrupted: false,
    });
    f.api.exitCodeFor.callsFake(exitCodeFor);
    assert.equal(await main(['drain', '-s', 'rds01', '--yes'], f.deps), 1);
    assert.match(f.stdout(), /rds01\s+failed\s+sessions remain after verify; 2 session\(s\) left: bob \(7\), eve \(9\)\n/);
    f = fakeDeps();
    f.api.logons.resolves({ hosts: [{ host: 'rds01', state: 'enabled' }], actions: [], errors: [], interrupted: false });
    assert.equal(await main(['logons', 'status', '-s', 'rds01'], f.deps), 0);
    assert.equal(f.stdout(), 'HOST   LOGONS\nrds01  enabled\n');
  });
});

describe('CLI: parse of quser\'s "no users" text', () => {
  it('is an empty list with no issues (it listed NO_HEADER and UNREADABLE_ROW), exit 0', async () => {
    for (const [kind, text] of [['quser', 'No User exists for *\r\n'], ['query-session', 'No session exists for *\r\n']]) {
      const f = fakeDeps({ readFile: async () => Buffer.from(text ?? '', 'utf8') });
      delete (f.deps as { api?: unknown }).api;
      assert.equal(await main(['parse', kind ?? '', 'x.txt', '--json'], f.deps), 0, f.stderr());
      assert.deepEqual(JSON.parse(f.stdout()), { sessions: [], issues: [] }, text);
      assert.equal(f.stderr(), '');
    }
  });
});

describe('CLI: an empty --shard never falls back to this machine', () => {
  // A CI matrix with more jobs than hosts: shard 5/6 of four hosts is empty. "No servers" means the local
  // machine to the library, so this drained the CI runner itself.
  for (const argv of [
    ['drain', '--yes', '--json'],
    ['logoff', '--all', '--yes', '--json'],
    ['message', '--all', '--text', 'hi', '--json'],
    ['logons', 'disable', '--yes', '--json'],
    ['list', '--json'],
  ]) {
    it(`${argv[0]}: nothing runs, exit 0, an empty report and a note`, async () => {
      const f = fakeDeps({ stdinText: 'rds01\nrds02\nrds03\nrds04\n' });
      assert.equal(await main([...argv, '--servers-file', '-', '--shard', '5/6'], f.deps), 0);
      sinon.assert.notCalled(f.createTransport);
      for (const op of ['drain', 'logoff', 'sendMessage', 'logons', 'listSessions'] as const) sinon.assert.notCalled(f.api[op]);
      const doc = JSON.parse(f.stdout());
      assert.deepEqual(doc.errors, []);
      assert.equal(f.stderr(), 'session-logoff: shard 5/6 has no hosts (the list has fewer hosts than shards): nothing to do\n');
    });
  }

  it('a non-empty shard still runs its hosts', async () => {
    const f = fakeDeps({ stdinText: 'rds01\nrds02\nrds03\nrds04\n' });
    assert.equal(await main(['drain', '--yes', '--servers-file', '-', '--shard', '4/6'], f.deps), 0);
    assert.deepEqual(f.api.drain.firstCall.args[0].servers, ['rds04']);
  });
});
