import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import { fakeDeps } from './fake-deps.js';

describe('CLI: exit codes and validation before any transport', () => {
  it('list: calls the library with validated hosts and prints JSON', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({
      sessions: [{ host: 'rds01', id: 2, username: 'alice', sessionName: 'rdp-tcp#1', state: 'Active', stateText: 'Active', idleMinutes: 0, idleText: '.', logonTime: '2026-11-24T09:03', logonText: '11/24/2026 9:03 AM', isCurrent: false, type: null, device: null }],
      errors: [],
    });
    const code = await main(['list', '-s', 'rds01', '-s', 'RDS02', '--json', '--concurrency', '4', '--timeout', '5s'], f.deps);
    assert.equal(code, 0);
    const options = f.api.listSessions.firstCall.args[0];
    assert.deepEqual(options.servers, ['rds01', 'RDS02']);
    assert.equal(options.concurrency, 4);
    assert.equal(options.timeoutMs, 5000);
    assert.equal(options.transport, f.transport);
    const doc = JSON.parse(f.stdout());
    assert.equal(doc.sessions[0].host, 'rds01');
    assert.deepEqual(doc.errors, []);
    sinon.assert.calledOnce(f.transport.dispose);
  });

  it('exit 1 when a host failed; the error is one line on stderr, stdout keeps the report', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [], errors: [{ host: 'rds02', code: 'ERR_ACCESS_DENIED', message: 'access denied\non rds02' }] });
    assert.equal(await main(['list', '-s', 'rds02', '--format', 'json'], f.deps), 1);
    assert.equal(f.stderr(), 'session-logoff: rds02: access denied on rds02 (ERR_ACCESS_DENIED)\n');
    assert.equal(JSON.parse(f.stdout()).errors[0].code, 'ERR_ACCESS_DENIED');
  });

  it('exit 1 for not-found and refused actions', async () => {
    const f = fakeDeps();
    f.api.logoff.resolves({ actions: [{ host: 'localhost', sessionId: 9, username: null, action: 'logoff', status: 'not-found', reason: 'no such session' }], errors: [], interrupted: false });
    assert.equal(await main(['logoff', '9', '--message', 'bye', '--grace', '0'], f.deps), 1);
    assert.match(f.stdout(), /not-found/);
  });

  it('exit 130 when the run was interrupted, with the partial report printed', async () => {
    const controller = new AbortController();
    controller.abort();
    const f = fakeDeps({ signal: controller.signal });
    f.api.logoff.resolves({ actions: [{ host: 'h1', sessionId: 3, username: 'u', action: 'logoff', status: 'done', reason: null }], errors: [], interrupted: true });
    assert.equal(await main(['logoff', '3', '-s', 'h1', '--json'], f.deps), 130);
    const doc = JSON.parse(f.stdout());
    assert.equal(doc.interrupted, true);
    assert.equal(doc.actions[0].status, 'done');
    assert.equal(f.api.logoff.firstCall.args[0].signal, controller.signal);
  });

  const HOSTILE = ['$(whoami)', '`id`', "a'b", 'a’b', 'a;b', 'a|b', '-x', '/x', 'a b', 'a\nb', '@file', ''];
  for (const value of HOSTILE) {
    it(`--server ${JSON.stringify(value)}: exit 2, no transport created`, async () => {
      const f = fakeDeps();
      assert.equal(await main(['list', `--server=${value}`], f.deps), 2);
      sinon.assert.notCalled(f.createTransport);
      assert.match(f.stderr(), /^session-logoff: .*server/);
      assert.equal(f.stderr().trim().split('\n').length, 1);
    });
    it(`logoff target ${JSON.stringify(value)}: exit 2, no transport created`, async () => {
      const f = fakeDeps();
      assert.equal(await main(['logoff', '--yes', '--', value], f.deps), 2);
      sinon.assert.notCalled(f.createTransport);
      sinon.assert.notCalled(f.api.logoff);
    });
  }

  const PROTECTED = ['0', '65536', '70000', 'console', 'Services'];
  for (const target of PROTECTED) {
    it(`explicit protected target ${target}: exit 2, nothing runs`, async () => {
      const f = fakeDeps();
      assert.equal(await main(['logoff', target, '-s', 'rds01'], f.deps), 2);
      sinon.assert.notCalled(f.createTransport);
    });
  }

  const BAD_VALUES: [string[], RegExp][] = [
    [['list', '--concurrency', '0'], /concurrency/],
    [['list', '--concurrency', '1e3'], /concurrency/],
    [['list', '--timeout', '5x'], /timeout/],
    [['list', '--timeout', '0'], /timeout/],
    [['list', '--shard', '3/2', '-s', 'a'], /shard/],
    [['list', '--shard', '1/2'], /shard/],
    [['list', '--retries', '-1'], /retries|Unknown|unknown/],
    [['list', '--transport', 'simulated'], /farm/],
    [['list', '--transport', 'ssh'], /transport/i],
    [['list', '--format', 'xml'], /format/i],
    [['logoff', '--user=-rf'], /user/],
    [['logoff', '--state', 'sleepy'], /state/],
    [['logoff', '--idle-over', '1.5h'], /idle-over/],
    [['logoff', '3', '--message', 'x'.repeat(256)], /message/],
    [['logoff', '3', '--grace', '5m'], /grace/],
    [['logoff', '--all', '--user', 'bob'], /--all/],
    [['message', '3'], /--text/],
    [['message', '3', '--text', 'hi\u0007'], /text/],
    [['message', '3', '--text', 'hi', '--time', 'abc'], /time/],
    [['drain', '--grace', 'soon', '--yes'], /grace/],
    [['drain', '--block-logons', 'maybe', '--yes'], /block-logons/i],
    [['logons', 'pause'], /action|Invalid/i],
  ];
  for (const [argv, pattern] of BAD_VALUES) {
    it(`${argv.join(' ').slice(0, 60)}: exit 2 naming the problem, no transport`, async () => {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 2);
      assert.match(f.stderr(), pattern);
      sinon.assert.notCalled(f.createTransport);
      assert.doesNotMatch(f.stderr(), /\n\s+at /, 'no stack trace');
    });
  }

  it('logoff and message with no target at all are usage errors, never the caller', async () => {
    for (const argv of [['logoff'], ['logoff', '-s', 'rds01', '--yes'], ['message', '--text', 'hi']]) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 2);
      assert.match(f.stderr(), /needs a target/);
      sinon.assert.notCalled(f.createTransport);
    }
  });

  it('an empty --servers-file does not fall back to this machine', async () => {
    const f = fakeDeps({ stdinText: '# nothing here\n\n' });
    assert.equal(await main(['list', '--servers-file', '-'], f.deps), 2);
    sinon.assert.notCalled(f.createTransport);
  });

  it('--servers-file - reads hosts from stdin; --shard splits them', async () => {
    const f = fakeDeps({ stdinText: 'b\na\n# c\nC\nd\n' });
    assert.equal(await main(['list', '--servers-file', '-', '--shard', '1/2'], f.deps), 0);
    assert.deepEqual(f.api.listSessions.firstCall.args[0].servers, ['a', 'c']);
  });

  it('unknown commands and options are rejected with a suggestion', async () => {
    let f = fakeDeps();
    assert.equal(await main(['lisst'], f.deps), 2);
    assert.match(f.stderr(), /unknown command "lisst"\. Did you mean list\?/);
    f = fakeDeps();
    assert.equal(await main(['list', '--servr', 'x'], f.deps), 2);
    assert.match(f.stderr(), /unknown option --servr\. Did you mean --server\?/);
    f = fakeDeps();
    assert.equal(await main(['TERM04'], f.deps), 2);
    assert.match(f.stderr(), /unknown command "TERM04"/);
  });

  it('--help, /?, --version and completion print to stdout with exit 0', async () => {
    for (const [argv, pattern] of [
      [['--help'], /Commands:/],
      [['/?'], /Exit codes: 0 done, 1 failed on some host/],
      [['logoff', '--help'], /--grace/],
      [['--version'], /^\d+\.\d+\.\d+\n$/],
      [['completion'], /session-logoff/],
    ] as [string[], RegExp][]) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 0, argv.join(' '));
      assert.match(f.stdout(), pattern);
      sinon.assert.notCalled(f.createTransport);
    }
  });

  it('no arguments, or a shortcut with no session, prints help and runs nothing (exit 2)', async () => {
    for (const argv of [[], ['/server:rds01'], ['/v']]) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 2);
      assert.match(f.stderr(), /Commands:/);
      sinon.assert.notCalled(f.createTransport);
    }
  });

  it('the logoff.exe shortcut logs off the explicit id, without asking', async () => {
    const f = fakeDeps({ tty: true });
    assert.equal(await main(['12', '/server:Server1', '/v'], f.deps), 0);
    const options = f.api.logoff.firstCall.args[0];
    assert.deepEqual(options.targets, ['12']);
    assert.deepEqual(options.servers, ['Server1']);
    sinon.assert.notCalled(f.confirm);
  });

  it('a user error never prints a stack; an unexpected one does only with --verbose', async () => {
    let f = fakeDeps();
    f.api.listSessions.rejects(new Error('kaboom'));
    assert.equal(await main(['list'], f.deps), 1);
    assert.equal(f.stderr(), 'session-logoff: unexpected error: kaboom (--verbose shows details)\n');
    f = fakeDeps();
    f.api.listSessions.rejects(new Error('kaboom'));
    assert.equal(await main(['list', '--verbose'], f.deps), 1);
    assert.match(f.stderr(), /\n\s+at /);
    sinon.assert.calledOnce(f.transport.dispose);
  });
});
