import assert from 'node:assert/strict';
import { formatIdle, readWtsAnswer, userSessions } from '../../../src/run/wts-records.js';

const SESSION = {
  Id: 2,
  State: 0,
  SessionName: 'rdp-tcp#3',
  UserName: 'alice smith',
  Domain: 'CORP',
  ClientName: 'WS-01',
  ClientAddress: '10.1.2.3',
  ClientProtocol: 2,
  LogonTime: '2026-03-02T08:12:00.000Z',
  ConnectTime: '2026-03-02T08:12:00.000Z',
  DisconnectTime: null,
  LastInputTime: '2026-03-02T09:00:00.000Z',
  CurrentTime: '2026-03-02T09:07:30.000Z',
  IdleMinutes: 7,
};

function answer(sessions: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { Available: true, Reason: null, Win32Error: 0, Function: null, Sessions: sessions, CurrentSessionId: null, Response: null, ...extra };
}

describe('readWtsAnswer: the typed boundary of the WTS source', () => {
  it('reads a session into a record with every WTS field, sorted by id; the caller\'s session is marked', () => {
    const result = readWtsAnswer(answer([{ ...SESSION, Id: 5, UserName: '', SessionName: '', State: 4 }, SESSION], { CurrentSessionId: 2 }));
    assert.equal(result.kind, 'ok');
    if (result.kind !== 'ok') return;
    assert.deepEqual(result.sessions[0], {
      host: null, id: 2, username: 'alice smith', sessionName: 'rdp-tcp#3', state: 'Active', stateText: 'WTSActive', idleMinutes: 7, idleText: '7',
      logonTime: '2026-03-02T08:12:00.000Z', logonText: null, isCurrent: true, type: null, device: null, domain: 'CORP', clientName: 'WS-01',
      clientAddress: '10.1.2.3', clientProtocol: 'rdp', lastInputTime: '2026-03-02T09:00:00.000Z', disconnectTime: null, source: 'wts',
    });
    // Empty strings are "none", as blank columns are in text.
    assert.deepEqual([result.sessions[1]?.id, result.sessions[1]?.username, result.sessions[1]?.sessionName, result.sessions[1]?.state], [5, null, null, 'Disconnected']);
  });

  it('maps every WTS_CONNECTSTATE_CLASS value; an unknown one is Unknown with its number', () => {
    const states = Array.from({ length: 11 }, (_, i) => ({ ...SESSION, Id: i + 1, State: i }));
    const result = readWtsAnswer(answer(states));
    assert.equal(result.kind, 'ok');
    if (result.kind !== 'ok') return;
    assert.deepEqual(result.sessions.map((s) => s.state), ['Active', 'Connected', 'ConnectQuery', 'Shadow', 'Disconnected', 'Idle', 'Listen', 'Reset', 'Down', 'Init', 'Unknown']);
    assert.equal(result.sessions[10]?.stateText, '10');
  });

  it('a Win32 error names the call; an unavailable API gives its reason', () => {
    assert.deepEqual(readWtsAnswer({ Available: true, Win32Error: 5, Function: 'WTSEnumerateSessionsExW' }), { kind: 'win32', code: 5, fn: 'WTSEnumerateSessionsExW' });
    assert.deepEqual(readWtsAnswer({ Available: true, Win32Error: 7022, Function: 'rm -rf /' }), { kind: 'win32', code: 7022, fn: 'the WTS call' });
    assert.deepEqual(readWtsAnswer({ Available: false, Reason: 'Add-Type was refused: x' }), { kind: 'unavailable', reason: 'Add-Type was refused: x' });
  });

  it('refuses, never converts, a field of the wrong type or shape', () => {
    const bad: [string, unknown][] = [
      ['not an object', 'sessions'],
      ['Available missing', { Win32Error: 0, Sessions: [] }],
      ['Available a string', { Available: 'true', Win32Error: 0 }],
      ['Win32Error a string', { Available: true, Win32Error: '5' }],
      ['Sessions an object', answer([]) && { Available: true, Win32Error: 0, Sessions: { 0: SESSION } }],
      ['Id a string', answer([{ ...SESSION, Id: '2' }])],
      ['Id a fraction', answer([{ ...SESSION, Id: 2.5 }])],
      ['Id negative', answer([{ ...SESSION, Id: -1 }])],
      ['Id past a DWORD', answer([{ ...SESSION, Id: 2 ** 32 }])],
      ['Id true', answer([{ ...SESSION, Id: true }])],
      ['State missing', answer([{ ...SESSION, State: undefined }])],
      ['UserName a number', answer([{ ...SESSION, UserName: 5 }])],
      ['UserName with a newline', answer([{ ...SESSION, UserName: 'bob\nroot' }])],
      ['LogonTime local, no Z', answer([{ ...SESSION, LogonTime: '2026-03-02T08:12' }])],
      ['LogonTime not a date', answer([{ ...SESSION, LogonTime: '2026-13-45T99:99:99.000Z' }])],
      ['IdleMinutes negative', answer([{ ...SESSION, IdleMinutes: -3 }])],
      ['ClientAddress not an address', answer([{ ...SESSION, ClientAddress: '$(whoami)' }])],
      ['ClientProtocol a string', answer([{ ...SESSION, ClientProtocol: 'rdp' }])],
      ['CurrentSessionId a string', answer([SESSION], { CurrentSessionId: '2' })],
      ['duplicate ids', answer([SESSION, SESSION])],
      ['a session that is a list', answer([[2, 0]])],
    ];
    for (const [name, data] of bad) assert.equal(readWtsAnswer(data).kind, 'invalid', name);
  });

  it('an absurd idle time is unknown (null), as in text; quser-style idle text for tables', () => {
    const result = readWtsAnswer(answer([{ ...SESSION, IdleMinutes: 40_000_000 }]));
    assert.equal(result.kind === 'ok' ? result.sessions[0]?.idleMinutes : 'invalid', null);
    assert.deepEqual([0, 7, 59, 60, 95, 1440, 1500, 3 * 1440 + 4 * 60 + 5].map(formatIdle), ['.', '7', '59', '1:00', '1:35', '1+00:00', '1+01:00', '3+04:05']);
    assert.equal(formatIdle(null), null);
  });

  it('userSessions keeps what quser shows: a user, never a listener', () => {
    const result = readWtsAnswer(answer([SESSION, { ...SESSION, Id: 0, UserName: '', State: 4 }, { ...SESSION, Id: 65536, State: 6 }]));
    assert.equal(result.kind, 'ok');
    if (result.kind === 'ok') assert.deepEqual(userSessions(result.sessions).map((s) => s.id), [2]);
  });
});
