import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IDLE_ASK_GENERAL, IDLE_UNKNOWN, isIdleForm, parseIdleTime, readIdleSpan } from '../../../src/parse/idle-time.js';
import { readNumericDate, readNumericLogon } from '../../../src/parse/logon-fast.js';
import { readLogonText } from '../../../src/parse/logon-time.js';
import { parseQuser, readQuserRow } from '../../../src/parse/quser.js';
import { parseTable } from '../../../src/parse/table.js';
import type { ParseOptions } from '../../../src/types.js';
import { fixtureDir, loadPairs } from '../../helpers/fixtures.js';

// parseQuser reads common rows through an allocation-free shortcut; it must give exactly what the
// general reader alone gives (records, issues and their order), or performance work changed behaviour.
function generalOnly(input: string | Uint8Array, options?: ParseOptions) {
  return parseTable(input, options, readQuserRow);
}

const HEADER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';
// Latin-1 names take the fast path; combining marks, Cyrillic and CJK (other widths) must not.
// Names holding a number and a state word (`ops 2 disc`) make rows with several candidate IDs: the fast
// path must leave them to the general reader, which weighs every reading.
const word = fc.constantFrom('ann', 'u1.example', 'user 7', 'x...', '12', 'a1console', 'rdp-tcp#3', 'console', 'Bob', 'jörg', 'zoë ß', 'e\u0301', 'иван', '张伟', 'Ⅻ', 'ops 2 disc', 'lab 3 pc', 'x 2 Disc . 1.2.2026', 'a 5 Getr.');
const rowArb = fc.record({
  current: fc.boolean(),
  user: word,
  session: fc.constantFrom('', 'rdp-tcp#12', 'console', 'ica-cgp#4', 'long...'),
  id: fc.constantFrom('1', '2', '65536', '4294967296', '0012', '12345678901'),
  state: fc.constantFrom('Active', 'Disc', 'Getr.', 'Abhör.', 'Déco', 'Listen', 'Wat', 'Rimani in ascolto', '5', '断开'),
  idle: fc.constantFrom('.', 'none', '5', '1:02', '1+00:53', '*', '24692+13:29', '1:60', 'x'),
  date: fc.constantFrom('1/2/2026', '2/2/2026', '25/7/2018', '7/25/2018', '24.11.2026', '2026-10-10', '18-Nov-22', '1/2/26', '31/31/2026', '123/4/2026', '1/2/2026.', '05/06/2026'),
  time: fc.constantFrom('9:03', '09:03 AM', '12:00 PM', '12:30 am', '13:00 PM', '9:60', '7:46:12', '1:00PM', '9:03 a. m.', '', '10.15', '0:30 AM'),
  userPad: fc.integer({ min: 0, max: 24 }),
  idPad: fc.integer({ min: 18, max: 24 }),
});
type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function render(r: Row): string {
  const left = `${r.current ? '>' : ' '}${r.user.padEnd(r.userPad)}${r.session}`;
  return `${left.padEnd(left.length + 1).padEnd(r.idPad + 22 - r.id.length)}${r.id}  ${r.state}  ${r.idle}  ${r.date} ${r.time}`.trimEnd();
}

describe('quser fast path', () => {
  const samples = loadPairs(fixtureDir('quser'));
  it('reads every fixture exactly as the general reader does', () => {
    for (const pair of samples) assert.deepEqual(parseQuser(pair.input, pair.options), generalOnly(pair.input, pair.options), pair.name);
  });

  it('reads generated rows exactly as the general reader does', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.constantFrom('\r\n', '\n', '\r'), (rows, header, eol) => {
        const text = [...(header ? [HEADER] : []), ...rows.map(render)].join(eol);
        assert.deepEqual(parseQuser(text), generalOnly(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('reads mutated fixtures exactly as the general reader does', () => {
    const texts = samples.filter((p) => p.name.endsWith('.txt')).map((p) => p.input.toString('utf8'));
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(' ', '', '1', 'x', '\t', '/', ':', 'é', '运'), (text, at, cut, insert) => {
        const i = at % (text.length + 1);
        const mutated = text.slice(0, i) + insert + text.slice(i + cut);
        assert.deepEqual(parseQuser(mutated), generalOnly(mutated));
      }),
      { numRuns: 1500 },
    );
  });

  it('reads idle times as parseIdleTime and isIdleForm do', () => {
    const idle = fc.stringMatching(/^[0-9+:.x*]{0,9}$/);
    fc.assert(
      fc.property(fc.oneof(idle, fc.constantFrom('.', '1+00:53', '366+00:00', '365+23:59', '1+5', '01:05', '1:5', '9999999')), (text) => {
        const value = readIdleSpan(` ${text} `, 1, text.length + 1);
        if (value === IDLE_ASK_GENERAL) return;
        assert.equal(value === IDLE_UNKNOWN ? null : value, parseIdleTime(text), text);
        assert.ok(isIdleForm(text), text);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads numeric logon times as readLogonText does', () => {
    const date = fc.stringMatching(/^[0-9]{1,5}[/.-][0-9]{1,3}[/.-][0-9]{1,5}$/);
    const time = fc.stringMatching(/^[0-9]{1,3}[:.][0-9]{1,3}(:[0-9]{1,3})?$/);
    const marker = fc.constantFrom('', 'AM', 'pm', 'Pm', 'aM', 'a', 'PX', 'QM', 'AMM');
    fc.assert(
      fc.property(date, time, marker, (d, t, m) => {
        const line = `${d} ${t}${m ? ` ${m}` : ''}`;
        if (!readNumericDate(line, 0, d.length)) return;
        const at = d.length + 1;
        const fast = readNumericLogon(line, at, at + t.length, m ? at + t.length + 1 : -1, m ? line.length : -1);
        if (fast) assert.deepEqual(fast, readLogonText(d, m ? `${t} ${m}` : t), line);
      }),
      { numRuns: 3000 },
    );
  });
});
