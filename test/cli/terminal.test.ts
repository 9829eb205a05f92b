import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import type { CliParsers } from '../../src/cli/deps.js';
import { HostError } from '../../src/errors.js';
import type { SessionRecord } from '../../src/types.js';
import { createTerminalStream, eraseLine, escapeJsonControls, sanitizeCell, sanitizeForTerminal } from '../../src/cli/terminal.js';
import { fakeDeps } from './fake-deps.js';

// Issue 9: text from a host (state words, error texts, names, parse issue lines, warnings) never reaches the
// terminal with control characters; JSON keeps the exact text.

/** Clear screen, cursor up, OSC window title + BEL, CR overwrite, C1 CSI, right-to-left override, a newline. */
const HOSTILE = 'x\u001b[2J\u001b[1A\u001b]0;pwned\u0007\roverwritten\u009b31m\u202etxt\nsession-logoff: all hosts drained';

// Everything but newline (and the progress line's own erase, stripped before this is applied).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

function assertTerminalSafe(text: string, what: string): void {
  const ours = text.replaceAll('\r\u001b[K', '');
  const bad = UNSAFE.exec(ours);
  assert.equal(bad, null, `${what}: ${JSON.stringify(bad?.[0])} reached the terminal in ${JSON.stringify(text)}`);
  assert.doesNotMatch(ours, /\nsession-logoff: all hosts drained/, `${what}: host text forged a line of its own`);
}

function session(extra: Partial<SessionRecord>): SessionRecord {
  return { host: 'rds01', id: 3, username: 'bob', sessionName: null, state: 'Active', stateText: 'Active', idleMinutes: 0, idleText: '.', logonTime: null, logonText: null, isCurrent: false, type: null, device: null, ...extra };
}

describe('CLI: host text on stderr is terminal-safe, every path', () => {
  it('warnings from the library (onWarning)', async () => {
    const f = fakeDeps();
    f.api.logoff.callsFake(async (o: { onWarning: (m: string) => void }) => {
      o.onWarning(`rds01: quser line 3: ${HOSTILE} (UNREADABLE_ROW)`);
      return { actions: [], errors: [], interrupted: false };
    });
    await main(['logoff', '3', '-s', 'rds01'], f.deps);
    assertTerminalSafe(f.stderr(), 'warning');
    assert.match(f.stderr(), /session-logoff: warning: rds01: quser line 3: x\uFFFD\[2J/);
  });

  it('host error lines', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [], errors: [{ host: 'rds01', code: 'ERR_UNEXPECTED_OUTPUT', message: HOSTILE }] });
    assert.equal(await main(['list', '-s', 'rds01'], f.deps), 1);
    assertTerminalSafe(f.stderr(), 'error line');
  });

  it('parse issue lines', async () => {
    const parsers: CliParsers = {
      parseQuser: () => ({ sessions: [], issues: [{ line: 2, code: 'UNREADABLE_ROW', message: `cannot read ${HOSTILE}` }] }),
      parseQuerySession: () => ({ sessions: [], issues: [] }),
      classifyOutput: () => 'sessions',
      decodeOutput: (input: unknown) => String(input),
    } as unknown as CliParsers;
    const f = fakeDeps({ parsers, readFile: sinon.stub().resolves(Buffer.from('text')) });
    await main(['parse', 'quser', 'out.txt'], f.deps);
    assertTerminalSafe(f.stderr(), 'issue line');
    assert.match(f.stderr(), /line 2: cannot read x/);
  });

  it('errors that end the run: a host error, an unexpected one, and its --verbose stack', async () => {
    for (const [error, verbose] of [[new HostError('ERR_UNEXPECTED_OUTPUT', 'rds01', HOSTILE), false], [new Error(HOSTILE), false], [new Error(HOSTILE), true]] as const) {
      const f = fakeDeps();
      f.api.listSessions.rejects(error);
      assert.equal(await main(['list', ...(verbose ? ['--verbose'] : [])], f.deps), 1);
      assertTerminalSafe(f.stderr(), `${error.name}${verbose ? ' --verbose' : ''}`);
    }
  });

  it('progress on a terminal keeps only its own erase-line sequence, with a warning in between', async () => {
    const f = fakeDeps({ tty: true, env: { NO_COLOR: '1' } });
    f.api.drain.callsFake(async (o: { onWarning: (m: string) => void; onProgress: (p: unknown) => void }) => {
      o.onProgress({ done: 1, total: 2, failed: 0 });
      o.onWarning(HOSTILE);
      return { hosts: [], actions: [], errors: [], interrupted: false };
    });
    await main(['drain', '-s', 'rds01', '-s', 'rds02', '--yes'], f.deps);
    assert.match(f.stderr(), /\r\u001b\[K1\/2 hosts done/);
    assertTerminalSafe(f.stderr(), 'progress + warning');
  });
});

describe('CLI: host text on stdout is terminal-safe in tables, exact in JSON', () => {
  it('session table: user, session name, state, idle and logon text', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [session({ username: HOSTILE, sessionName: HOSTILE, state: HOSTILE as never, stateText: HOSTILE, idleText: HOSTILE, logonText: HOSTILE })], errors: [] });
    await main(['list'], f.deps);
    assertTerminalSafe(f.stdout(), 'session table');
  });

  it('action and drain tables: reasons, hosts left', async () => {
    const f = fakeDeps();
    f.api.drain.resolves({
      hosts: [{ host: 'rds01', status: 'failed', reason: HOSTILE, sessionsLeft: [session({ username: HOSTILE })] }],
      actions: [{ host: 'rds01', sessionId: 3, username: HOSTILE, action: 'logoff', status: 'failed', reason: HOSTILE }],
      errors: [],
      interrupted: false,
    });
    await main(['drain', '-s', 'rds01', '--yes'], f.deps);
    assertTerminalSafe(f.stdout(), 'drain table');
  });

  it('JSON and ndjson keep the exact text (escaped, so still terminal-safe)', async () => {
    for (const format of ['json', 'ndjson']) {
      const f = fakeDeps();
      f.api.listSessions.resolves({ sessions: [session({ username: HOSTILE })], errors: [{ host: 'rds02', code: 'ERR_UNEXPECTED_OUTPUT', message: HOSTILE }] });
      await main(['list', '-o', format], f.deps);
      const first = JSON.parse(format === 'json' ? f.stdout() : (f.stdout().split('\n')[0] ?? '')) as { username?: string; sessions?: { username: string }[]; errors?: { message: string }[] };
      assert.equal(first.username ?? first.sessions?.[0]?.username, HOSTILE);
      if (format === 'json') assert.equal(first.errors?.[0]?.message, HOSTILE);
      assertTerminalSafe(f.stdout(), format);
    }
  });

  it('CSV, a format for people and spreadsheets, is terminal-safe like a table (newlines stay quoted)', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [session({ username: HOSTILE })], errors: [] });
    await main(['list', '-o', 'csv'], f.deps);
    assert.doesNotMatch(f.stdout().replaceAll('\r\n', '\n'), UNSAFE);
    assert.match(f.stdout(), /"x\uFFFD\[2J.*\nsession-logoff: all hosts drained"/su, 'the field keeps its newline, quoted');
  });
});

describe('terminal.ts: the sanitizers', () => {
  it('sanitizeForTerminal keeps newlines and printable text (CJK, emoji), replaces every control', () => {
    assert.equal(sanitizeForTerminal('山田\tbob\u001b[2J\n😀\u009b\u202e'), '山田\uFFFDbob\uFFFD[2J\n😀\uFFFD\uFFFD');
    assert.equal(sanitizeCell('a\nb'), 'a\uFFFDb');
  });

  it('escapeJsonControls keeps the exact text once parsed', () => {
    const value = { u: HOSTILE, v: 'a\u2028b\u007f\u2066' };
    const json = escapeJsonControls(JSON.stringify(value));
    assert.doesNotMatch(json, UNSAFE);
    assert.doesNotMatch(json, /[\u2028\u2029]/u);
    assert.deepEqual(JSON.parse(json), value);
  });

  it('createTerminalStream sanitizes every write; eraseLine alone reaches the raw stream', () => {
    let raw = '';
    const stream = createTerminalStream({ write: (s: string) => (raw += s) });
    stream.write('a\u001b[2Jb\n');
    eraseLine(stream);
    assert.equal(raw, 'a\uFFFD[2Jb\n\r\u001b[K');
    assert.equal(createTerminalStream(stream), stream, 'not wrapped twice');
  });
});
