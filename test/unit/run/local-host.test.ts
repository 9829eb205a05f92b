import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createLocalHostRule, localityByName, type Resolve } from '../../../src/run/local-host.js';

// This machine: rdsh01, NetBIOS RDSH01, addresses 10.0.0.5 and fd00::5.
const NAMES = ['rdsh01', 'RDSH01'];
const ADDRESSES = ['10.0.0.5', 'fd00::5', 'fe80::1%4'];
const table =
  (entries: Record<string, string[]>): Resolve =>
  async (name) => {
    const found = entries[name];
    if (found === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return found;
  };

describe('local host rule: which names are this machine', () => {
  it('by name alone: loopback names and addresses, our names and addresses, and nothing else', () => {
    const cases: [string | null, string | null][] = [
      [null, 'this-machine'],
      ['.', 'this-machine'],
      ['rdsh01.', 'this-machine'],
      ['localhost', 'this-machine'],
      ['LocalHost', 'this-machine'],
      ['127.0.0.1', 'this-machine'],
      ['127.255.255.254', 'this-machine'],
      ['::1', 'this-machine'],
      ['0:0:0:0:0:0:0:1', 'this-machine'],
      ['[::1]', 'this-machine'],
      ['::ffff:127.0.0.1', 'this-machine'],
      ['rdsh01', 'this-machine'],
      ['RDSH01', 'this-machine'],
      ['10.0.0.5', 'this-machine'],
      ['FD00:0::5', 'this-machine'],
      ['::ffff:10.0.0.5', 'this-machine'],
      ['fe80::1', 'this-machine'],
      ['0.0.0.0', 'maybe-this-machine'],
      ['::', 'maybe-this-machine'],
      ['10.0.0.6', 'other'],
      ['128.0.0.1', 'other'],
      ['::2', 'other'],
      // Only resolution can tell these.
      ['rdsh01.corp.example', null],
      ['rdsh02', null],
      ['alias', null],
    ];
    for (const [host, expected] of cases) assert.equal(localityByName(host, NAMES, ADDRESSES), expected, String(host));
  });

  it('a bare name is ours when our FQDN starts with it; an FQDN is never ours by its first label alone', () => {
    assert.equal(localityByName('rds01', ['rds01.corp.example']), 'this-machine');
    assert.equal(localityByName('rds01.other.example', ['RDS01']), null);
  });

  it('resolution decides the rest: only our addresses, some of them, none, or unresolvable', async () => {
    const rule = createLocalHostRule({
      names: NAMES,
      addresses: ADDRESSES,
      resolve: table({
        'rdsh01.corp.example': ['10.0.0.5', 'fd00::5'],
        'loop.example': ['127.0.1.1'],
        alias: ['fd00::5'],
        'rdsh01.other.example': ['10.9.9.9'],
        vip: ['10.0.0.5', '10.0.0.6'],
        'rdsh01.empty.example': [],
        rdsh02: ['10.0.0.7'],
      }),
    });
    const cases: [string, string][] = [
      ['rdsh01.corp.example', 'this-machine'],
      ['RDSH01.CORP.EXAMPLE', 'this-machine'],
      ['loop.example', 'this-machine'],
      ['alias', 'this-machine'],
      ['rdsh01.other.example', 'other'],
      ['vip', 'maybe-this-machine'],
      ['rdsh01.empty.example', 'maybe-this-machine'],
      ['rdsh01.nowhere.example', 'maybe-this-machine'],
      ['rdsh02', 'other'],
      ['unknown', 'other'],
      ['10.0.0.9', 'other'],
    ];
    for (const [host, expected] of cases) assert.equal(await rule.locate(host), expected, host);
  });

  it('without a resolver every name not ours is unresolvable: first label ours = maybe, else other', async () => {
    const rule = createLocalHostRule({ names: ['admin01'], addresses: [], resolve: null });
    assert.equal(await rule.locate('admin01.corp.example'), 'maybe-this-machine');
    assert.equal(await rule.locate('rds01'), 'other');
    assert.equal(await rule.locate('127.0.0.1'), 'this-machine');
  });

  it('a lookup that does not answer in time counts as unresolvable (virtual time)', async () => {
    const clock = sinon.useFakeTimers();
    try {
      const asked: string[] = [];
      const resolve: Resolve = (name) => {
        asked.push(name);
        return new Promise(() => undefined);
      };
      const rule = createLocalHostRule({ names: NAMES, addresses: ADDRESSES, resolve, resolveTimeoutMs: 500 });
      const results: string[] = [];
      const both = Promise.all([rule.locate('rdsh01.corp.example'), rule.locate('alias')]).then((r) => results.push(...r));
      await clock.tickAsync(499);
      assert.deepEqual(results, [], 'still waiting at 499 ms');
      await clock.tickAsync(1);
      await both;
      assert.deepEqual(results, ['maybe-this-machine', 'other']);
      assert.deepEqual(asked, ['rdsh01.corp.example', 'alias']);
    } finally {
      clock.restore();
    }
  });

  it('a resolver that throws synchronously is unresolvable, not a crash', async () => {
    const rule = createLocalHostRule({ names: NAMES, addresses: [], resolve: () => { throw new Error('boom'); } });
    assert.equal(await rule.locate('rdsh01.corp.example'), 'maybe-this-machine');
  });

  it('the default identity is this machine: os.hostname(), COMPUTERNAME and every interface address', async () => {
    const rule = createLocalHostRule({ env: { COMPUTERNAME: 'NB-NAME' }, resolve: null });
    const os = await import('node:os');
    assert.equal(await rule.locate(os.hostname()), 'this-machine');
    assert.equal(await rule.locate('nb-name'), 'this-machine');
    for (const list of Object.values(os.networkInterfaces())) {
      for (const i of list ?? []) assert.equal(await rule.locate(i.address), 'this-machine', i.address);
    }
  });
});
