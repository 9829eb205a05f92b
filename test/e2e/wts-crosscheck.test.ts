/*
 * Cross-check (property): for generated farms (every simulator language and layout, odd user names, every
 * session state), the WTS source and the text source read the same ids, users and states through real pwsh,
 * and WTS gives the logon times text cannot. One PowerShell per source serves every generated farm: the
 * doubles (quser/qwinsta on PATH, libwtsapi32.so) read the farm state file anew on every call.
 *
 * The caller's short date is `yy/M/d`: quser prints `26/3/2 8:12`, which the text parser rightly refuses to
 * guess when its numbers allow more than one reading (logonTime null), while the API gives the full UTC time.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { listSessions } from '../../src/core/sessions.js';
import { createTransport } from '../../src/run/create-transport.js';
import type { Transport } from '../../src/run/transport.js';
import { parseFarm } from '../../src/sim/farm.js';
import { createFarmState } from '../../src/sim/state.js';
import type { SessionRecord } from '../../src/types.js';
import { createFarmFixture, type FarmFixture } from '../helpers/farm.js';
import { requirePwsh } from '../helpers/pwsh.js';
import { requireWtsDouble, wtsEnv } from '../helpers/wts.js';

const LANGUAGES = ['en', 'de', 'fr', 'it', 'es', 'pt', 'ru', 'zh', 'ja'] as const;
const STATES = ['Active', 'Conn', 'ConnQ', 'Shadow', 'Disc', 'Idle', 'Reset', 'Down', 'Init'] as const;
const CANONICAL: Record<(typeof STATES)[number], string> = {
  Active: 'Active', Conn: 'Connected', ConnQ: 'ConnectQuery', Shadow: 'Shadow', Disc: 'Disconnected', Idle: 'Idle', Reset: 'Reset', Down: 'Down', Init: 'Init',
};
// sAMAccountName allows spaces, digits, dots, dashes, apostrophes and any letters; at most 20 characters.
const NAMES = ['alice', 'Bjørn Ødegård', "o'brien", 'j.doe-2', '王伟', 'ユーザー一', 'Łukasz Żółć', 'MÜLLER', 'jean-françois', 'x y z', 'administrator1234567', 'Иван Петров', 'ops 2', 'user 42 active'];

const session = fc.record({
  state: fc.constantFrom(...STATES),
  user: fc.constantFrom(...NAMES),
  idleMinutes: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
  logon: fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-11-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16)),
});

const host = fc.record({
  language: fc.constantFrom(...LANGUAGES),
  layout: fc.constantFrom('narrow' as const, 'wide' as const),
  sessions: fc.uniqueArray(fc.tuple(fc.integer({ min: 2, max: 400 }), session), { minLength: 0, maxLength: 5, selector: ([id]) => id }),
});

const farmArbitrary = fc.array(host, { minLength: 1, maxLength: 3 }).map((hosts) => ({
  localHost: 'admin01',
  callerShortDate: 'yy/M/d',
  callerShortTime: 'H:mm',
  hosts: Object.fromEntries(
    hosts.map((h, i) => [
      `h${i}`,
      { language: h.language, layout: h.layout, sessions: h.sessions.map(([id, s]) => ({ id, name: s.state === 'Disc' ? null : `rdp-tcp#${id}`, ...s })) },
    ]),
  ),
}));

type GeneratedFarm = typeof farmArbitrary extends fc.Arbitrary<infer T> ? T : never;

const key = (s: SessionRecord): string => `${s.host}/${s.id}`;

describe('e2e (property): --source wts and --source text read the same sessions', function () {
  this.timeout(600_000);
  let fx: FarmFixture;
  let wts: Transport;
  let text: Transport;
  let textNullLogons = 0;
  let textRecords = 0;
  let ambiguousText = 0;

  before(async function () {
    const pwsh = requirePwsh(this);
    requireWtsDouble(this);
    fx = await createFarmFixture({ localHost: 'admin01', hosts: {} });
    const env = wtsEnv({ ...fx.env, SESSION_LOGOFF_PWSH: pwsh }) as Record<string, string | undefined>;
    wts = await createTransport('powershell', { env, source: 'wts', concurrency: 4 });
    text = await createTransport('powershell', { env, source: 'text', concurrency: 4 });
  });
  after(async () => {
    await Promise.all([wts?.dispose(), text?.dispose()]);
    await fx?.cleanup();
  });

  async function both(farm: GeneratedFarm, allSessions: boolean): Promise<[SessionRecord[], SessionRecord[]]> {
    const servers = Object.keys(farm.hosts);
    const [a, b] = await Promise.all([listSessions({ transport: wts, servers, allSessions, timeoutMs: 120_000 }), listSessions({ transport: text, servers, allSessions, timeoutMs: 120_000 })]);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    return [a.sessions, b.sessions];
  }

  it('same ids, users and states for every session; WTS has every logon time, text not all of them', async () => {
    await fc.assert(
      fc.asyncProperty(farmArbitrary, async (farm) => {
        await writeFile(fx.file, JSON.stringify(createFarmState(parseFarm(farm), Date.now())));
        const truth = new Map<string, { user: string; state: string; logon: string }>();
        for (const [name, h] of Object.entries(farm.hosts)) for (const s of h.sessions) truth.set(`${name}/${s.id}`, { user: s.user, state: CANONICAL[s.state], logon: `${s.logon}:00.000Z` });

        const [wtsAll, textAll] = await both(farm, true);
        // WTS is exact: every session of the farm (plus services, console and listener on each host).
        for (const [k, t] of truth) {
          const r = wtsAll.find((s) => key(s) === k);
          assert.deepEqual([r?.username, r?.state], [t.user, t.state], k);
        }
        assert.equal(wtsAll.length, truth.size + 3 * Object.keys(farm.hosts).length);
        // Text agrees wherever it read a row without doubt; a row it marked ambiguous is never acted on anyway.
        assert.deepEqual(textAll.map(key).sort(), wtsAll.map(key).sort());
        for (const r of textAll) {
          if (r.ambiguous !== undefined) {
            ambiguousText++;
            continue;
          }
          const w = wtsAll.find((s) => key(s) === key(r));
          assert.deepEqual([r.username, r.state], [w?.username, w?.state], key(r));
        }

        const [wtsUsers, textUsers] = await both(farm, false);
        assert.deepEqual(wtsUsers.map(key).sort(), [...truth.keys()].sort());
        assert.deepEqual(textUsers.map(key).sort(), wtsUsers.map(key).sort());
        for (const w of wtsUsers) {
          assert.equal(w.logonTime, truth.get(key(w))?.logon, key(w));
          assert.equal(w.source, 'wts');
        }
        for (const r of textUsers) {
          textRecords++;
          if (r.logonTime === null) textNullLogons++;
          else assert.equal(r.logonTime, truth.get(key(r))?.logon.slice(0, 16), key(r));
        }
      }),
      { numRuns: 8, seed: 20261127, endOnFailure: true },
    );
    // Text reads a yy/M/d date only when its numbers leave one reading; WTS always has the time.
    assert.ok(textNullLogons > 0, `text read all ${textRecords} logon times: the farms did not show what WTS adds`);
    console.log(`      cross-check: ${textRecords} user sessions; logon times from text ${textRecords - textNullLogons}, from WTS ${textRecords}; ${ambiguousText} ambiguous text rows`);
  });
});
