import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { fakeDeps } from './fake-deps.js';

describe('CLI: --source and --title reach the transport; bad values never do', () => {
  it('--source defaults to auto; wts, text and --title are passed to createTransport', async () => {
    const f = fakeDeps();
    assert.equal(await main(['list', '-s', 'rds01', '--transport', 'powershell'], f.deps), 0);
    assert.equal(f.createTransport.lastCall.args[1].source, 'auto');
    assert.equal(await main(['message', '3', '-s', 'rds01', '--text', 'hi', '--transport', 'powershell', '--source', 'wts', '--title', 'IT – Wartung', '--message-timeout', '30'], f.deps), 0);
    assert.deepEqual([f.createTransport.lastCall.args[0], f.createTransport.lastCall.args[1].source, f.createTransport.lastCall.args[1].messageTitle], ['powershell', 'wts', 'IT – Wartung']);
    assert.equal(f.api.sendMessage.lastCall.args[0].seconds, 30);
    assert.equal(await main(['logoff', '3', '-s', 'rds01', '--message', 'bye', '--grace', '0', '--title', 'Ops', '--transport', 'powershell'], f.deps), 0);
    assert.equal(f.createTransport.lastCall.args[1].messageTitle, 'Ops');
    assert.equal(await main(['list', '-s', 'rds01', '--source', 'text'], f.deps), 0);
    assert.equal(f.createTransport.lastCall.args[1].source, 'text');
  });

  it('--source wts without the PowerShell transport, an unknown source or a bad title: exit 2, no transport', async () => {
    for (const argv of [
      ['list', '-s', 'rds01', '--source', 'wts'],
      ['list', '-s', 'rds01', '--source', 'wts', '--transport', 'simulated', '--farm', 'x.json'],
      ['list', '-s', 'rds01', '--source', 'xml', '--transport', 'powershell'],
      ['message', '3', '-s', 'rds01', '--text', 'hi', '--title', 'a\nb', '--transport', 'powershell'],
      ['message', '3', '-s', 'rds01', '--text', 'hi', '--title', 'x'.repeat(129), '--transport', 'powershell'],
      ['drain', '-s', 'rds01', '--title', '', '--yes', '--transport', 'powershell'],
    ]) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 2, argv.join(' '));
      assert.equal(f.createTransport.callCount, 0, argv.join(' '));
    }
  });
});
