import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQuerySession } from '../../../src/parse/query-session.js';
import { parseQuser } from '../../../src/parse/quser.js';
import type { OutputEncoding, ParseResult } from '../../../src/types.js';
import { fixtureDir, loadPairs } from '../../helpers/fixtures.js';

const parsers = [parseQuser, parseQuerySession] as const;
const ENCODINGS: OutputEncoding[] = ['utf8', 'utf16le', 'cp437', 'cp850', 'cp852', 'cp866', 'cp932', 'cp936', 'cp949', 'cp950', 'windows-1252'];
const samples = [...loadPairs(fixtureDir('quser')), ...loadPairs(fixtureDir('query-session'))]
  .filter((p) => p.name.endsWith('.txt'))
  .map((p) => p.input.toString('utf8'));

function assertShape(result: ParseResult): void {
  assert.ok(Array.isArray(result.sessions));
  assert.ok(Array.isArray(result.issues));
  for (const issue of result.issues) {
    assert.ok(Number.isInteger(issue.line) && issue.line >= 0);
    // The parsers' safety nets must never fire: that would be a bug hidden as an issue.
    assert.ok(!/could not be read: /.test(issue.message), issue.message);
  }
}

// Mutations that real pastes suffer: characters lost or inserted, a column shifted, lines swapped or cut.
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(' ', '  ', 'x', '>', '1', '.', '\r\n', '运', '...') }),
  fc.record({ kind: fc.constant('shift' as const), line: fc.nat(), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  if (m.kind === 'delete') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + m.length);
  }
  if (m.kind === 'insert') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.text + text.slice(at);
  }
  const lines = text.split('\n');
  const i = m.line % lines.length;
  const line = lines[i] ?? '';
  const at = m.at % (line.length + 1);
  lines[i] = m.by >= 0 ? line.slice(0, at) + ' '.repeat(m.by) + line.slice(at) : line.slice(0, at) + line.slice(at - m.by);
  return lines.join('\n');
}

describe('parsers on mutated and random input (property)', () => {
  it('never throw on mutated real fixtures, and never invent an ID', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (sample, mutations, qwinsta) => {
        const text = mutations.reduce(mutate, sample);
        const result = (qwinsta ? parseQuerySession : parseQuser)(text);
        assertShape(result);
        // Each record must come from a line that really holds its ID as a word.
        const lines = text.split(/\r\n|\r|\n/);
        for (const record of result.sessions) {
          assert.ok(lines.some((line) => line.split(/[ \t>]+/).some((word) => word !== '' && /^\d+$/.test(word) && Number(word) === record.id)), `invented id ${record.id}`);
        }
      }),
      { numRuns: 3000, seed: 20261125 },
    );
  });

  it('never throw on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        for (const parse of parsers) assertShape(parse(text));
      }),
      { numRuns: 1500, seed: 7 },
    );
  });

  it('never throw on random bytes in any encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom(...ENCODINGS), (bytes, encoding) => {
        for (const parse of parsers) assertShape(parse(bytes, { encoding }));
      }),
      { numRuns: 1500, seed: 11 },
    );
  });

  it('never throw on values outside the declared types', () => {
    for (const value of [null, undefined, 42, {}, [], Symbol('x')]) {
      for (const parse of parsers) {
        const result = parse(value as unknown as string);
        assert.deepEqual(result.sessions, []);
        assert.equal(result.issues[0]?.code, 'DECODE');
      }
    }
  });
});
