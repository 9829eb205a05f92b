import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQuerySession } from '../../../src/parse/query-session.js';
import { parseQuser } from '../../../src/parse/quser.js';
import { KNOWN_STATE_WORDS, canonicalState } from '../../../src/parse/states.js';
import { renderQuerySession, renderQuser } from '../../../src/sim/render.js';
import { LOCALES, stateWord } from '../../../src/sim/locale.js';
import type { SimLanguage, SimSession, SimState } from '../../../src/sim/index.js';
import { displayWidth } from '../../../src/sim/text-width.js';
import type { ParseResult, SessionState } from '../../../src/types.js';

// Issue 9: "a row must never yield a wrong session id". Sessions with adversarial user names are rendered
// in the real layouts (quser; query session narrow and wide; every language the simulator prints; with and
// without the header line) and parsed back. Every row must come back as the right session, or be flagged:
// an issue that drops it, or a record marked `ambiguous` (never acted on). Never a wrong id, user or state.

const LANGUAGES: SimLanguage[] = ['en', 'de', 'fr', 'it', 'es', 'pt', 'ru', 'zh', 'ja'];
const SIM_STATES: SimState[] = ['Active', 'Conn', 'ConnQ', 'Shadow', 'Disc', 'Idle', 'Reset', 'Down', 'Init'];
const CANONICAL: Record<SimState, SessionState> = {
  Active: 'Active', Conn: 'Connected', ConnQ: 'ConnectQuery', Shadow: 'Shadow', Disc: 'Disconnected',
  Idle: 'Idle', Listen: 'Listen', Reset: 'Reset', Down: 'Down', Init: 'Init',
};
// Words a user name may hold (sAMAccountName forbids " / \ [ ] : ; | = , + * ? < >, allows spaces, digits,
// dots, dashes and #): state words of every language, printed state words, numbers, session names, idle
// words, dotted and dashed dates, CJK and Cyrillic.
const stateWords = [...new Set([...KNOWN_STATE_WORDS, ...LANGUAGES.flatMap((l) => SIM_STATES.map((s) => stateWord(l, s)))])]
  .flatMap((w) => w.split(' '))
  .filter((w) => !/[/\\[\]:;|=,+*?<>"]/.test(w));
const WORD = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('ann', 'bob', 'ops', 'lab', 'pc', 'j.smith', 'jörg', 'иван', '张伟', '山田太郎', 'Zoë') },
  { weight: 4, arbitrary: fc.constantFrom(...stateWords) },
  { weight: 3, arbitrary: fc.oneof(fc.constantFrom('0', '1', '2', '7', '12', '65536', '007'), fc.nat(99_999).map(String)) },
  { weight: 2, arbitrary: fc.constantFrom('console', 'services', 'rdp-tcp', 'rdp-tcp#3', 'RDP-Tcp#12', 'ica-cgp#4', 'rdp-sxs2208190...') },
  { weight: 1, arbitrary: fc.constantFrom('.', 'none', 'Kein', 'aucun', 'ninguno', 'нет', '无', '24.11.2026', '1-2-2026', '18-Nov-22', '1+00:53'.replace(':', '.')) },
);
// 1–5 words, cut to at most 20 display columns (USERNAME_LENGTH); some padded to exactly 20.
const NAME = fc.tuple(fc.array(WORD, { minLength: 1, maxLength: 5 }), fc.boolean()).map(([words, pad]) => {
  let name = '';
  for (const w of words) {
    const next = name === '' ? w : `${name} ${w}`;
    if (displayWidth(next) > 20) break;
    name = next;
  }
  if (name === '') name = 'x';
  while (pad && displayWidth(name) < 20) name += displayWidth(name) === 19 ? 'y' : 'z';
  return name;
});

const SESSION = fc.record({
  id: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 100, max: 65_535 })),
  user: NAME,
  name: fc.constantFrom('rdp-tcp#0', 'rdp-tcp#7', 'RDP-Tcp#123', 'ica-cgp#4', 'console', 'rdp-tcp#65535'),
  state: fc.constantFrom(...SIM_STATES),
  idleMinutes: fc.oneof(fc.constant(null), fc.constant(0), fc.nat(3000)),
});
const TABLE = fc.record({
  sessions: fc.uniqueArray(SESSION, { minLength: 1, maxLength: 6, selector: (s) => s.id }),
  language: fc.constantFrom(...LANGUAGES),
  layout: fc.constantFrom('narrow' as const, 'wide' as const),
  header: fc.boolean(),
  date: fc.constantFrom('M/d/yyyy h:mm tt', 'dd.MM.yyyy HH:mm', 'yyyy/M/d H:mm', 'd/MM/yyyy H:mm', 'dd-MMM-yy HH:mm'),
});
type Table = typeof TABLE extends fc.Arbitrary<infer T> ? T : never;

function simSessions(t: Table, withSystem: boolean): SimSession[] {
  const users: SimSession[] = t.sessions.map((s) => ({ ...s, logon: '2026-02-02T09:05' }));
  if (!withSystem) return users;
  return [
    { id: 0, name: 'services', user: null, state: 'Disc' },
    ...users,
    { id: 65536, name: 'rdp-tcp', user: null, state: 'Listen' },
  ];
}

/** Every rendered row is its session, or flagged: a row issue, or a record marked ambiguous. */
function assertRightOrFlagged(text: string, result: ParseResult, expected: readonly SimSession[], qwinsta: boolean): void {
  const lines = text.split('\r\n');
  const dropped = new Set(result.issues.filter((i) => i.code === 'UNREADABLE_ROW' || i.code === 'BAD_ID').map((i) => i.line));
  const unknownState = new Set(result.issues.filter((i) => i.code === 'UNKNOWN_STATE').map((i) => i.line));
  const records = [...result.sessions];
  let row = 0;
  for (let n = 1; n <= lines.length; n++) {
    const line = lines[n - 1] ?? '';
    if (line.trim() === '' || (n === 1 && !/\d/.test(line))) continue;
    const truth = expected[row++];
    assert.ok(truth, `more rows than sessions at line ${n}`);
    if (dropped.has(n)) continue;
    const record = records.shift();
    assert.ok(record, `line ${n} (session ${truth.id}) has neither a record nor an issue`);
    if (record.ambiguous !== undefined) {
      assert.ok(result.issues.some((i) => i.line === n && (i.code === 'AMBIGUOUS_ROW' || i.code === 'DUPLICATE_ID')), `flagged without an issue: line ${n}`);
      continue;
    }
    const blankName = truth.state === 'Disc' && (qwinsta ? truth.user !== null : true);
    const state = CANONICAL[truth.state];
    assert.deepEqual(
      { id: record.id, username: record.username, sessionName: record.sessionName },
      { id: truth.id, username: truth.user, sessionName: blankName ? null : truth.name },
      `line ${n}: ${JSON.stringify(line)}`,
    );
    assert.ok(record.state === state || (record.state === 'Unknown' && unknownState.has(n)), `line ${n}: state ${record.state}, expected ${state}`);
  }
  assert.equal(records.length, 0, 'records left over');
}

function render(t: Table, qwinsta: boolean): { text: string; expected: SimSession[] } {
  const [shortDate = '', shortTime = ''] = t.date.split(/ (.*)/);
  const options = { language: t.language, shortDate, shortTime, currentSessionId: null, layout: t.layout };
  const sessions = simSessions(t, qwinsta);
  let text = qwinsta ? renderQuerySession(sessions, options) : (renderQuser(sessions, options) ?? '');
  if (!t.header) text = text.slice(text.indexOf('\r\n') + 2);
  return { text, expected: sessions.filter((s) => qwinsta || (s.user !== null && s.state !== 'Listen')) };
}

describe('a row never yields a wrong session id (property, issue 9)', () => {
  it('quser: the right session or a flagged row, in every language, with and without header', () => {
    fc.assert(
      fc.property(TABLE, (t) => {
        const { text, expected } = render(t, false);
        assertRightOrFlagged(text, parseQuser(text), expected, false);
      }),
      { numRuns: 3000, seed: 9_2026 },
    );
  });

  it('query session, narrow and wide: the right session or a flagged row, with and without header', () => {
    fc.assert(
      fc.property(TABLE, (t) => {
        const { text, expected } = render(t, true);
        assertRightOrFlagged(text, parseQuerySession(text), expected, true);
      }),
      { numRuns: 3000, seed: 9_2027 },
    );
  });

  it('with the header, rows are read, not flagged, whatever the names hold', () => {
    fc.assert(
      fc.property(TABLE, fc.boolean(), (t, qwinsta) => {
        const { text } = render({ ...t, header: true }, qwinsta);
        const result = (qwinsta ? parseQuerySession : parseQuser)(text);
        assert.deepEqual(result.issues.filter((i) => i.code !== 'UNKNOWN_STATE' && i.code !== 'BAD_DATE' && i.code !== 'TRUNCATED_NAME'), [], text);
      }),
      { numRuns: 1000, seed: 9_2028 },
    );
  });

  it('knows the state words it uses', () => {
    // A guard for the generator: it must draw the parsers' own state words.
    assert.ok(stateWords.some((w) => canonicalState(w) === 'Disconnected'));
    assert.ok(LOCALES.de.states.Disc !== undefined);
  });
});
