import assert from 'node:assert/strict';
import { ValidationError } from '../../src/errors.js';
import {
  assertConcurrency,
  assertStates,
  assertWarningWait,
  assertHost,
  assertMessageText,
  assertSessionId,
  assertSessionName,
  assertTargetAllowed,
  assertUserPattern,
  globToRegExp,
  parseDuration,
  parseShard,
  parseTarget,
} from '../../src/validate.js';

function rejects(fn: () => unknown, argument: string): ValidationError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_INVALID_ARGUMENT');
    assert.equal(error.argument, argument);
    assert.ok(!error.message.includes('\n'), 'message is one line');
    return error;
  }
  assert.fail('expected a ValidationError');
}

const HOSTILE = ["a'b", '$(x)', 'a’b', '-x', '/x', '@f', '*', 'a\nb', 'a;b', 'a|b', 'a`b', 'a&b', 'a%b', 'a b', 'a"b', 'a<b', 'a(b', ''];

describe('validate', () => {
  describe('assertHost', () => {
    const good = ['rds01', 'RDS-01', 'rds01.corp.example.com', 'host_1', '10.0.0.1', '::1', 'fe80::1', '2001:db8::42', 'xn--bcher-kva.example', `${'a'.repeat(63)}.b`];
    for (const host of good) it(`accepts ${JSON.stringify(host)}`, () => assert.equal(assertHost(host), host));
    const bad = [...HOSTILE, 'a..b', 'a.', '.a', '-a.b', 'a-.b', 'fe80::1%eth0', '[::1]', '10.1.2', '999.1.1.1', 'a'.repeat(64), `${'a.'.repeat(126)}ab`, 'bücher', 'a\u0000', 'a“b', 'a‚b', 'a{b', 'a>b'];
    for (const host of bad) {
      it(`rejects ${JSON.stringify(host)}`, () => {
        const error = rejects(() => assertHost(host), 'server');
        assert.equal(error.value, host);
      });
    }
    it('names the argument it was given', () => rejects(() => assertHost('-x', 'computer'), 'computer'));
  });

  describe('assertSessionId', () => {
    const good: Array<[string | number, number]> = [['0', 0], ['3', 3], ['007', 7], ['65536', 65536], ['4294967295', 4294967295], [12, 12]];
    for (const [input, expected] of good) it(`accepts ${JSON.stringify(input)}`, () => assert.equal(assertSessionId(input), expected));
    const bad: Array<string | number> = ['-1', '+1', '0x10', ' 1', '1 ', '1.0', '1e3', '', '4294967296', '99999999999', -1, 1.5, Number.NaN, Infinity];
    for (const input of bad) it(`rejects ${JSON.stringify(input)}`, () => rejects(() => assertSessionId(input), 'session'));
  });

  describe('assertSessionName', () => {
    for (const name of ['rdp-tcp#12', 'RDP-Tcp#0', 'console', 'ICA-CGP#3', 'rdp-sxs.1', 'a'.repeat(32)]) {
      it(`accepts ${name}`, () => assert.equal(assertSessionName(name), name));
    }
    for (const name of [...HOSTILE, '1abc', '#1', 'a'.repeat(33), 'rdp tcp']) {
      it(`rejects ${JSON.stringify(name)}`, () => rejects(() => assertSessionName(name), 'session'));
    }
  });

  describe('parseTarget / assertTargetAllowed', () => {
    it('reads ids and names', () => {
      assert.deepEqual(parseTarget('12'), { kind: 'id', id: 12 });
      assert.deepEqual(parseTarget('rdp-tcp#1'), { kind: 'name', name: 'rdp-tcp#1' });
    });
    it('refuses a digit-led value that is not an id', () => rejects(() => parseTarget('1abc'), 'session'));
    for (const target of ['0', '65536', '70000', 'console', 'CONSOLE', 'Services']) {
      it(`refuses protected ${target}`, () => rejects(() => assertTargetAllowed(parseTarget(target)), 'session'));
    }
    it('allows ordinary sessions', () => assert.deepEqual(assertTargetAllowed(parseTarget('65535')), { kind: 'id', id: 65535 }));
  });

  describe('assertUserPattern / globToRegExp', () => {
    for (const p of ['alice', 'CORP\\j*', 'user@corp.example', 'ben bolen', 'HOST$', 'a?c']) {
      it(`accepts ${JSON.stringify(p)}`, () => assert.equal(assertUserPattern(p), p));
    }
    for (const p of ['', '   ', '-x', '/x', '@f', "a'b", 'a’b', 'a"b', 'a\nb', 'a\tb']) {
      it(`rejects ${JSON.stringify(p)}`, () => rejects(() => assertUserPattern(p), 'user'));
    }
    const cases: Array<[string, string, boolean]> = [
      ['adm*', 'Administrator', true],
      ['adm*', 'xadmin', false],
      ['admin', 'administrator', false],
      ['j?e', 'JOE', true],
      ['a.b', 'axb', false],
      ['a.b', 'a.b', true],
      ['CORP\\*', 'corp\\alice', true],
      ['(x)+', '(x)+', true],
      ['ben *', 'ben bolen', true],
    ];
    for (const [pattern, name, expected] of cases) {
      it(`${pattern} ${expected ? 'matches' : 'does not match'} ${name}`, () => assert.equal(globToRegExp(pattern).test(name), expected));
    }
  });

  describe('parseDuration', () => {
    const good: Array<[string | number, number]> = [['90', 90_000], [90, 90_000], ['30s', 30_000], ['5m', 300_000], ['2h', 7_200_000], ['1d', 86_400_000], ['0', 0], ['5M', 300_000]];
    for (const [input, ms] of good) it(`reads ${JSON.stringify(input)}`, () => assert.equal(parseDuration(input, 'grace'), ms));
    const bad: Array<string | number> = ['-1', '1.5m', '1.5', '', 'm', '5 m', '5mm', '5w', 'abc', '9999999999999d', -5, 1.5, Number.MAX_SAFE_INTEGER];
    for (const input of bad) it(`rejects ${JSON.stringify(input)}`, () => rejects(() => parseDuration(input, 'idle-over'), 'idle-over'));
  });

  describe('assertMessageText', () => {
    it('normalises CRLF', () => assert.equal(assertMessageText('a\r\nb'), 'a\nb'));
    it('accepts 255 characters and hostile-looking text', () => {
      assert.equal(assertMessageText('x'.repeat(255)).length, 255);
      assert.equal(assertMessageText("$(whoami) `; | -x /x ' ’"), "$(whoami) `; | -x /x ' ’");
    });
    for (const text of ['', '  ', 'x'.repeat(256), 'a\u0007b', 'a\rb', 'a\tb', 'a\u0085b']) {
      it(`rejects ${JSON.stringify(text.slice(0, 10))} (len ${text.length}) and redacts it`, () => {
        const error = rejects(() => assertMessageText(text), 'text');
        assert.equal(error.value, '<redacted>');
        if (text.length > 3) assert.ok(!error.message.includes(text));
      });
    }
  });

  describe('assertConcurrency / parseShard', () => {
    it('accepts 1..256', () => {
      assert.equal(assertConcurrency(1), 1);
      assert.equal(assertConcurrency('256'), 256);
    });
    for (const n of [0, 257, 1.5, '0', 'x', '-1']) it(`rejects ${JSON.stringify(n)}`, () => rejects(() => assertConcurrency(n), 'concurrency'));
    it('reads k/n', () => assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 }));
    for (const s of ['0/4', '5/4', '1/0', '1', '1/2/3', ' 1/2', '-1/2', 'a/b']) it(`rejects ${s}`, () => rejects(() => parseShard(s), 'shard'));
  });

  describe('assertStates: the parsers\' state vocabulary, not a list of its own', () => {
    it('reads canonical names and printed words in any case, without repeats', () => {
      assert.deepEqual(assertStates(['disc', 'Disconnected', 'CONN', 'Active', 'Getr.', 'Abhör.']), ['Disconnected', 'Connected', 'Active', 'Listen']);
    });
    for (const word of ['', 'sleepy', 'Unknown', 'disc\u001b', 'Active ']) {
      it(`rejects ${JSON.stringify(word)}`, () => {
        if (word === 'Active ') assert.deepEqual(assertStates([word]), ['Active'], 'surrounding space is how quser pads');
        else rejects(() => assertStates([word], '--state'), '--state');
      });
    }
  });

  describe('assertWarningWait: a warning always comes with its wait', () => {
    it('message with grace (0 included), and neither, are fine', () => {
      assertWarningWait('bye', 300_000);
      assertWarningWait('bye', 0);
      assertWarningWait(undefined, undefined);
    });
    it('message without grace, or grace without message, names the grace option', () => {
      rejects(() => assertWarningWait('bye', undefined), 'graceMs');
      rejects(() => assertWarningWait(undefined, 5), 'graceMs');
      rejects(() => assertWarningWait('bye', undefined, { message: '--message', grace: '--grace' }), '--grace');
    });
  });
});
