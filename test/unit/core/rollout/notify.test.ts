import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifier } from '../../../../src/core/rollout/notify.js';
import type { RolloutEvent } from '../../../../src/core/rollout/index.js';

/** A local endpoint on 127.0.0.1 only; `answer` decides each response. */
async function endpoint(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      bodies.push(body);
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server };
}

const event = (n: number): RolloutEvent => ({ event: 'host-done', time: '2026-11-25T14:00:00.000Z', host: `rds0${n}`, wave: n });

describe('core/rollout: --notify-url', function () {
  this.timeout(20_000);
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.closeAllConnections(), s.close();
  });

  it('POSTs each event as JSON, in order', async () => {
    const hook = await endpoint((req, res) => {
      assert.equal(req.method, 'POST');
      assert.equal(req.headers['content-type'], 'application/json');
      res.end('ok');
    });
    servers.push(hook.server);
    const notifier = createNotifier(hook.url);
    for (let i = 1; i <= 5; i++) notifier.send(event(i));
    assert.equal(await notifier.close(), 0);
    assert.deepEqual(hook.bodies.map((b) => JSON.parse(b)), [1, 2, 3, 4, 5].map(event));
  });

  it('a failing endpoint is reported, never thrown; send never waits', async () => {
    const hook = await endpoint((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    servers.push(hook.server);
    const errors: string[] = [];
    const notifier = createNotifier(hook.url, { onError: (m) => errors.push(m) });
    notifier.send(event(1));
    notifier.send(event(2));
    assert.equal(await notifier.close(), 2);
    assert.deepEqual(errors.map((e) => e.replace(/: HTTP.*/u, '')), ['--notify-url: host-done rds01 not delivered', '--notify-url: host-done rds02 not delivered']);
  });

  it('a hanging endpoint: each event gets the timeout, and what is still queued at close gets at most one more', async () => {
    const hook = await endpoint(() => undefined); // never answers
    servers.push(hook.server);
    const notifier = createNotifier(hook.url, { timeoutMs: 200 });
    for (let i = 1; i <= 50; i++) notifier.send(event(i));
    // 50 events at 200 ms each would take 10 s; close ends after about one timeout with the rest dropped.
    const undelivered = await notifier.close();
    assert.ok(undelivered >= 48, `undelivered ${undelivered}`);
    assert.ok(hook.bodies.length <= 2, `${hook.bodies.length} requests reached the endpoint`);
  });

  it('only http(s) URLs', () => {
    for (const bad of ['ftp://x/y', 'not a url', 'file:///etc/passwd']) assert.throws(() => createNotifier(bad), { code: 'ERR_INVALID_ARGUMENT' });
  });
});
