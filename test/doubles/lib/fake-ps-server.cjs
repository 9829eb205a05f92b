#!/usr/bin/env node
// A stand-in for `pwsh -File SessionLogoffServer.ps1`: speaks the same line protocol, with faults real pwsh
// will not produce on demand. Behaviour comes from the payload's fields and from the environment:
//   FAKE_PS_READY_FILE   print @@sl-ready only once this file exists (a slow start)
//   FAKE_PS_IGNORE_CANCEL=1  never answer a cancelled call (a stalled shell)
//   payload.hang   never answer;  payload.die   exit 3 at once;  payload.noise  print junk around the reply
//   payload.delayMs  answer after that long
// Every answer reports the DOTNET_TieredCompilation it was started with.
const fs = require('node:fs');
const readline = require('node:readline');

const b64 = (value) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
const reply = (id, fields) =>
  process.stdout.write(`@@sl-reply ${id} ${b64({ exitCode: 0, stdout: '', stderr: '', spawnError: null, error: null, data: null, ...fields })}\n`);

function whenReady(then) {
  const file = process.env.FAKE_PS_READY_FILE;
  if (!file || fs.existsSync(file)) return then();
  const timer = setInterval(() => {
    if (fs.existsSync(file)) {
      clearInterval(timer);
      then();
    }
  }, 20);
}

whenReady(() => {
  process.stdout.write(`@@sl-ready ${b64({ pid: process.pid, version: 'fake', poolSize: 0 })}\n`);
  const pending = new Map();
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const call = /^call ([0-9]+) (\S+)$/u.exec(line);
    if (call) {
      const [, id, payload] = call;
      const request = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
      if (request.die) process.exit(3);
      if (request.hang) {
        pending.set(id, true);
        return;
      }
      const answer = () => {
        if (request.noise) process.stdout.write(`\u001b[?1h noise @@sl-reply\n`);
        reply(id, { data: { pid: process.pid, echo: request, tieredCompilation: process.env.DOTNET_TieredCompilation ?? null } });
      };
      if (request.delayMs) setTimeout(answer, request.delayMs);
      else answer();
      return;
    }
    const cancel = /^cancel ([0-9]+)$/u.exec(line);
    if (cancel && pending.has(cancel[1]) && process.env.FAKE_PS_IGNORE_CANCEL !== '1') {
      pending.delete(cancel[1]);
      reply(cancel[1], { error: 'cancelled' });
    }
  });
});
