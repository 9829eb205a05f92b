import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import { csvField, renderCsv } from '../../src/cli/format/csv.js';
import { displayWidth } from '../../src/cli/format/width.js';
import type { SessionRecord } from '../../src/types.js';
import { realOutput } from '../helpers/fixtures.js';
import { fakeDeps, planOn } from './fake-deps.js';

const fixture = realOutput;

function session(over: Partial<SessionRecord>): SessionRecord {
  return { host: 'rds01', id: 2, username: 'alice', sessionName: 'rdp-tcp#1', state: 'Active', stateText: 'Active', idleMinutes: 0, idleText: '.', logonTime: '2026-11-24T09:03', logonText: '11/24/2026 9:03 AM', isCurrent: false, type: null, device: null, ...over };
}

describe('CLI: confirmation', () => {
  it('a filter selection on a non-TTY needs --yes (exit 2, nothing runs)', async () => {
    const f = fakeDeps();
    assert.equal(await main(['logoff', '--state', 'disconnected', '-s', 'rds01'], f.deps), 2);
    assert.match(f.stderr(), /pass --yes/);
    sinon.assert.notCalled(f.createTransport);
  });

  it('with --yes it runs without asking; --state is case-insensitive and canonical', async () => {
    const f = fakeDeps();
    assert.equal(await main(['logoff', '--state', 'DISCONNECTED,idle', '--idle-over', '2h', '-y'], f.deps), 0);
    const options = f.api.logoff.firstCall.args[0];
    assert.deepEqual(options.states, ['Disconnected', 'Idle']);
    assert.equal(options.idleOverMinutes, 120);
    sinon.assert.notCalled(f.confirm);
  });

  it('a TTY is shown the plan and asked; "no" runs nothing but the dry run', async () => {
    const f = fakeDeps({ tty: true });
    planOn(f.api.logoff, ['rds01']);
    f.confirm.resolves(false);
    assert.equal(await main(['logoff', '--all', '-s', 'rds01'], f.deps), 1);
    sinon.assert.calledOnceWithExactly(f.confirm, 'Log off this session on rds01? [y/N] ');
    assert.match(f.stderr(), /Plan: log off EVERY user session on rds01/);
    sinon.assert.calledOnce(f.api.logoff);
    assert.equal(f.api.logoff.firstCall.args[0].dryRun, true);
  });

  it('--dry-run never asks and passes dryRun', async () => {
    const f = fakeDeps();
    assert.equal(await main(['logoff', '--all', '--dry-run'], f.deps), 0);
    assert.equal(f.api.logoff.firstCall.args[0].dryRun, true);
    sinon.assert.notCalled(f.confirm);
  });

  // yargs reads `--flag=<anything but true/false>` of a boolean as false: `--dry-run=yes` logged users off
  // for real. A switch takes no value, or exactly true or false; anything else is exit 2 before anything runs.
  it('a switch given a value other than true or false is refused before anything runs (--dry-run=yes was a real logoff)', async () => {
    for (const argv of [
      ['logoff', '--all', '--dry-run=yes'],
      ['logoff', '--all', '-n=yes'],
      ['logoff', '--all', '-yn=yes'],
      ['logoff', '--all', '--dry-run=1', '--yes'],
      ['logoff', '--all', '--yes=no'],
      ['logoff', '--all', '--no-yes=x'],
      ['drain', '-s', 'rds01', '--dry-run=on'],
      ['list', '--json=1'],
      ['list', '--all-sessions=yes'],
    ]) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 2, argv.join(' '));
      assert.match(f.stderr(), /invalid (--[a-z-]+|-n) "[^"]*": a switch takes no value, or true or false/u, argv.join(' '));
      sinon.assert.notCalled(f.createTransport);
      sinon.assert.notCalled(f.api.logoff);
      sinon.assert.notCalled(f.api.listSessions);
    }
    const f = fakeDeps();
    assert.equal(await main(['logoff', '--all', '--dry-run=true'], f.deps), 0);
    assert.equal(f.api.logoff.firstCall.args[0].dryRun, true);
    // After `--`, nothing is an option of ours.
    const g = fakeDeps();
    assert.equal(await main(['rollout', '--servers-file', 'x', '--dry-run=maybe', '--', 'patch', '--dry-run=yes'], g.deps), 2);
    assert.match(g.stderr(), /invalid --dry-run "maybe"/u);
  });

  it('explicit targets are not confirmed; every drain and logons change is', async () => {
    let f = fakeDeps();
    assert.equal(await main(['logoff', '3', '4', '--message', 'bye', '--grace', '30s'], f.deps), 0);
    assert.equal(f.api.logoff.firstCall.args[0].graceMs, 30_000);
    f = fakeDeps();
    assert.equal(await main(['drain', '-s', 'rds01'], f.deps), 2);
    f = fakeDeps();
    assert.equal(await main(['logons', 'disable', '-s', 'rds01'], f.deps), 2);
    f = fakeDeps();
    assert.equal(await main(['logons', 'status', '-s', 'rds01'], f.deps), 0);
    assert.equal(f.api.logons.firstCall.args[0].mode, undefined);
    f = fakeDeps({ tty: true });
    planOn(f.api.drain, ['rds01']);
    assert.equal(await main(['drain', '-s', 'rds01', '--grace', '1m', '--remind-every', '20s', '--block-logons', 'none'], f.deps), 0);
    sinon.assert.calledOnce(f.confirm);
    const options = f.api.drain.secondCall.args[0];
    assert.equal(options.graceMs, 60_000);
    assert.equal(options.remindEveryMs, 20_000);
    assert.equal(options.blockLogons, 'none');
  });

  it('library warnings (e.g. logoff of an Active session without --message) go to stderr; --quiet silences them', async () => {
    const warnLogoff = async (options: { onWarning?: (m: string) => void }) => {
      options.onWarning?.('rds01: 1 Active session(s) (alice) will be logged off without warning');
      return { actions: [], errors: [], interrupted: false };
    };
    let f = fakeDeps();
    f.api.logoff.callsFake(warnLogoff);
    await main(['logoff', '3', '-s', 'rds01'], f.deps);
    assert.equal(f.stderr(), 'session-logoff: warning: rds01: 1 Active session(s) (alice) will be logged off without warning\n');
    assert.equal(f.stdout(), '');
    f = fakeDeps();
    f.api.logoff.callsFake(warnLogoff);
    await main(['logoff', '3', '--quiet'], f.deps);
    assert.equal(f.stderr(), '');
  });

  it('progress on stderr only when stderr is a TTY and not --quiet', async () => {
    const withProgress = async (options: { onProgress?: (p: { done: number; total: number; failed: number }) => void }) => {
      options.onProgress?.({ done: 1, total: 2, failed: 1 });
      return { sessions: [], errors: [] };
    };
    let f = fakeDeps({ tty: true });
    f.api.listSessions.callsFake(withProgress);
    await main(['list', '-s', 'a', '-s', 'b'], f.deps);
    assert.match(f.stderr(), /1\/2 hosts done, 1 failed/);
    assert.equal(f.stdout(), '');
    for (const deps of [fakeDeps({ tty: false }), fakeDeps({ tty: true })]) {
      deps.api.listSessions.callsFake(withProgress);
      await main(['list', '-s', 'a', ...(deps.deps.isTTY.stderr ? ['--quiet'] : [])], deps.deps);
      assert.doesNotMatch(deps.stderr(), /hosts done/);
    }
  });

  it('message passes --text and --time', async () => {
    const f = fakeDeps();
    assert.equal(await main(['message', '--all', '--text', 'Reboot at 18:00', '--time', '60'], f.deps), 0);
    const options = f.api.sendMessage.firstCall.args[0];
    assert.equal(options.text, 'Reboot at 18:00');
    assert.equal(options.seconds, 60);
    assert.equal(options.all, true);
  });
});

describe('CLI: output formats', () => {
  const sessions = [session({}), session({ id: 3, username: '张伟', sessionName: null, state: 'Disconnected', idleText: '1:15', logonTime: null, logonText: '24/11/2026 08:00' })];

  it('table: aligned by display width, local logon time, no colour off a TTY', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions, errors: [] });
    await main(['list'], f.deps);
    const lines = f.stdout().trimEnd().split('\n');
    assert.equal(lines.length, 3);
    const stateColumn = lines.map((l) => displayWidth(l.slice(0, l.search(/Active|Disconnected|STATE/))));
    assert.equal(new Set(stateColumn).size, 1, f.stdout());
    assert.match(lines[1] ?? '', /2026-11-24 09:03$/);
    assert.match(lines[2] ?? '', /24\/11\/2026 08:00$/);
    assert.doesNotMatch(f.stdout(), /\u001b/);
  });

  it('colour only on a TTY and never with NO_COLOR', async () => {
    let f = fakeDeps({ tty: true });
    f.api.listSessions.resolves({ sessions, errors: [] });
    await main(['list'], f.deps);
    assert.match(f.stdout(), /\u001b\[32mActive/);
    f = fakeDeps({ tty: true, env: { NO_COLOR: '1' } });
    f.api.listSessions.resolves({ sessions, errors: [] });
    await main(['list'], f.deps);
    assert.doesNotMatch(f.stdout(), /\u001b/);
  });

  it('ndjson: one record per line; csv: quoted, formula-safe', async () => {
    let f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [session({ username: '=HYPERLINK("x")' })], errors: [] });
    await main(['list', '--format', 'ndjson'], f.deps);
    assert.equal(JSON.parse(f.stdout().trim()).username, '=HYPERLINK("x")');
    f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [session({ username: '=HYPERLINK("x")' })], errors: [] });
    await main(['list', '--format', 'csv'], f.deps);
    const [header, row] = f.stdout().split('\r\n');
    assert.match(header ?? '', /^host,id,username,sessionName,state,stateText,idleMinutes,idleText,logonTime,logonText,isCurrent,type,device,/u);
    assert.match(row ?? '', /^rds01,2,"'=HYPERLINK\(""x""\)",rdp-tcp#1,/);
  });

  // The WTS source's fields were only in JSON: a CSV of a WTS listing lost the client and the times. The header
  // is the same whatever the source (columns only added at the end), so scripts can index it.
  it('csv carries the WTS fields too, in the same header for both sources; text rows leave them empty', async () => {
    const f = fakeDeps();
    const viaWts = session({ source: 'wts', domain: 'CORP', clientName: 'LAPTOP-7', clientAddress: '10.0.0.7', clientProtocol: 'rdp', lastInputTime: '2026-11-24T09:03:00.000Z', disconnectTime: null });
    f.api.listSessions.resolves({ sessions: [viaWts, session({ id: 3, source: 'text' }), session({ id: 4 })], errors: [] });
    await main(['list', '--format', 'csv'], f.deps);
    const [header, wts, text, parsed] = f.stdout().split('\r\n');
    assert.equal(header, 'host,id,username,sessionName,state,stateText,idleMinutes,idleText,logonTime,logonText,isCurrent,type,device,source,domain,clientName,clientAddress,clientProtocol,lastInputTime,disconnectTime');
    assert.match(wts ?? '', /,wts,CORP,LAPTOP-7,10\.0\.0\.7,rdp,2026-11-24T09:03:00\.000Z,$/u);
    assert.match(text ?? '', /^rds01,3,.*,text,,,,,,$/u);
    assert.match(parsed ?? '', /^rds01,4,.*,,,,,,,$/u);
    assert.doesNotMatch(f.stdout(), /undefined/u);
  });

  it('csvField and terminal-unsafe text', async () => {
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-x'), "'-x");
    assert.equal(csvField('@a'), "'@a");
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(-1), '-1');
    assert.equal(renderCsv(['a'], [['x\ny']]), 'a\r\n"x\ny"\r\n');
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [session({ username: 'evil\u001b[2J' })], errors: [] });
    await main(['list'], f.deps);
    assert.doesNotMatch(f.stdout(), /\u001b/);
  });

  it('actions JSON is {actions, errors}', async () => {
    const f = fakeDeps();
    f.api.logoff.resolves({ actions: [{ host: 'rds01', sessionId: 3, username: 'bob', action: 'logoff', status: 'done', reason: null }], errors: [], interrupted: false });
    await main(['logoff', '3', '-s', 'rds01', '--json', '--message', 'bye', '--grace', '0'], f.deps);
    assert.deepEqual(Object.keys(JSON.parse(f.stdout())), ['actions', 'errors']);
  });

  it('drain --report writes the JSON report', async () => {
    const writeFile = sinon.stub().resolves();
    const f = fakeDeps({ writeFile });
    f.api.drain.resolves({ hosts: [{ host: 'rds01', status: 'drained', reason: null, sessionsLeft: [] }], actions: [], errors: [], interrupted: false });
    assert.equal(await main(['drain', '-s', 'rds01', '--yes', '--report', 'out.json'], f.deps), 0);
    sinon.assert.calledOnceWithMatch(writeFile, 'out.json', sinon.match('"drained"'));
    assert.match(f.stdout(), /rds01\s+drained/);
  });

  it('report merge reads files and exits by the merged verdict', async () => {
    const files: Record<string, string> = { 'a.json': '{"actions":[],"errors":[]}', 'b.json': 'not json' };
    const readFile = async (p: string): Promise<Uint8Array> => Buffer.from(files[p] ?? '');
    let f = fakeDeps({ readFile });
    assert.equal(await main(['report', 'merge', 'a.json'], f.deps), 0);
    f = fakeDeps({ readFile });
    assert.equal(await main(['report', 'merge', 'a.json', 'b.json'], f.deps), 2);
    assert.match(f.stderr(), /not a session-logoff JSON report/);
  });
});

describe('CLI: parse (real captured output, real parsers)', () => {
  const run = async (argv: string[], input: Buffer) => {
    const f = fakeDeps({ readFile: async () => input });
    delete (f.deps as { api?: unknown }).api;
    const code = await main(argv, f.deps);
    return { code, stdout: f.stdout(), stderr: f.stderr(), createTransport: f.createTransport };
  };

  it('quser (en) as JSON', async () => {
    const r = await run(['parse', 'quser', 'x.txt', '--format', 'json'], fixture('003-quser-en.txt'));
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.sessions.length > 0);
    assert.ok(Array.isArray(doc.issues));
    assert.equal(doc.sessions[0].host, null);
    sinon.assert.notCalled(r.createTransport);
  });

  it('quser (zh) as a table aligned by display width', async () => {
    const r = await run(['parse', 'quser', 'x.txt'], fixture('025-quser-zh.txt'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /USERNAME/);
  });

  it('query session (en) and German quser', async () => {
    assert.equal((await run(['parse', 'query-session', 'x.txt', '--json'], fixture('031-qwinsta-en.txt'))).code, 0);
    assert.equal((await run(['parse', 'quser', 'x.txt', '--date-order', 'dmy', '--json'], fixture('011-quser-de.txt'))).code, 0);
  });

  it('quser\'s own "no users" text is an empty list, exit 0', async () => {
    const r = await run(['parse', 'quser', 'x.txt', '--json'], fixture('057-error-en.txt'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).sessions, []);
  });

  it('not quser output at all: exit 2 with one line, no stack', async () => {
    for (const input of ['hello world\nthis is not a table\n', '', '   \n']) {
      const r = await run(['parse', 'quser', 'x.txt'], Buffer.from(input));
      assert.equal(r.code, 2, input);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /not quser output|empty/);
    }
    const denied = await run(['parse', 'quser', 'x.txt'], fixture('058-error-ru.txt'));
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /error message/);
  });

  it('reads stdin when no file is given; a bad --encoding is exit 2', async () => {
    const f = fakeDeps({ stdinText: fixture('003-quser-en.txt').toString('utf8') });
    delete (f.deps as { api?: unknown }).api;
    assert.equal(await main(['parse', 'quser', '--json'], f.deps), 0);
    assert.ok(JSON.parse(f.stdout()).sessions.length > 0);
    const r = await run(['parse', 'quser', 'x.txt', '--encoding', 'ebcdic'], fixture('003-quser-en.txt'));
    assert.equal(r.code, 2);
    assert.equal((await run(['parse', 'quser', 'x.txt', '--encoding', '850'], fixture('003-quser-en.txt'))).code, 0);
  });
});
