#!/usr/bin/env node
// The farm side of the native wtsapi32 double (test/doubles/native/wtsapi32.c). The C library runs this once
// per API call that needs the farm, so it never parses JSON itself: the same compiled engine (dist/sim), the
// same state file (SESSION_LOGOFF_FARM) and the same lock as the other doubles (run-double.js).
//
// Strings travel as hex of their UTF-16 code units ("-" = NULL, "." = empty), so the C side reads exactly
// the WCHARs it must hand out. One answer per run, on stdout, ASCII:
//   enum <server>                       ok <current|-> <count>  then per session:
//                                       s <id> <state> <name> <user> <domain> <client> <family> <addr> <protocol>
//                                         <logon> <connect> <disconnect> <lastInput> <now>   (FILETIMEs, decimal)
//   logoff <server> <id>                ok
//   message <server> <id> <title> <text> <seconds> <wait>    ok <response>
//   any                                 err <win32 code>   |   hang   (the host never answers)
import { setTimeout as sleep } from 'node:timers/promises';
import { isIPv4 } from 'node:net';
import { wtsEnumerate, wtsLogoff, wtsMessage } from '../../../dist/sim/engine-wts.js';
import { loadState, saveState, withLock } from './run-double.js';

const toHex = (text) => {
  if (text === null || text === undefined) return '-';
  if (text === '') return '.';
  let out = '';
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
};

const fromHex = (hex) => {
  if (hex === '-') return null;
  if (hex === '.') return '';
  if (!/^(?:[0-9a-f]{4})+$/u.test(hex)) throw new Error(`bad hex string ${hex}`);
  let out = '';
  for (let i = 0; i < hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
};

/** WTS_CLIENT_ADDRESS.Address (20 bytes) as hex: IPv4 at bytes 2..5, IPv6 at 0..15. */
function addressHex(address) {
  const bytes = new Uint8Array(20);
  if (address !== null) {
    if (isIPv4(address.text)) address.text.split('.').forEach((part, i) => (bytes[2 + i] = Number(part)));
    else {
      const [head, tail = ''] = address.text.split('::');
      const groups = (s) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
      const h = groups(head);
      const t = groups(tail);
      const all = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
      all.forEach((g, i) => {
        bytes[i * 2] = g >> 8;
        bytes[i * 2 + 1] = g & 0xff;
      });
    }
  }
  return Buffer.from(bytes).toString('hex');
}

function answer(outcome, ok) {
  if (outcome.kind === 'hang') return 'hang\n';
  if (outcome.kind === 'error') return `err ${outcome.code}\n`;
  return ok(outcome.value);
}

function enumAnswer(value) {
  const lines = [`ok ${value.currentSessionId ?? '-'} ${value.sessions.length}`];
  for (const s of value.sessions) {
    lines.push(
      [
        's',
        s.id,
        s.state,
        toHex(s.sessionName),
        toHex(s.userName),
        toHex(s.domain),
        toHex(s.clientName),
        s.clientAddress?.family ?? 0,
        addressHex(s.clientAddress),
        s.protocol,
        s.logonTime,
        s.connectTime,
        s.disconnectTime,
        s.lastInputTime,
        s.currentTime,
      ].join(' '),
    );
  }
  return lines.join('\n') + '\n';
}

async function main() {
  const file = process.env.SESSION_LOGOFF_FARM;
  if (!file) throw new Error('SESSION_LOGOFF_FARM must name a farm state file');
  const [op, serverHex, ...rest] = process.argv.slice(2);
  const server = fromHex(serverHex ?? '-');
  const result = await withLock(file, async () => {
    const state = await loadState(file);
    const now = Date.now();
    let outcome;
    let text;
    switch (op) {
      case 'enum':
        outcome = wtsEnumerate(state, server, now);
        text = answer(outcome, enumAnswer);
        break;
      case 'logoff':
        outcome = wtsLogoff(state, server, Number(rest[0]), now);
        text = answer(outcome, () => 'ok\n');
        break;
      case 'message': {
        const [id, title, body, seconds, wait] = rest;
        outcome = wtsMessage(state, server, Number(id), { title: fromHex(title) ?? '', text: fromHex(body) ?? '', seconds: Number(seconds), wait: wait === '1' }, now);
        text = answer(outcome, (v) => `ok ${v.response}\n`);
        break;
      }
      default:
        throw new Error(`unknown operation ${op}`);
    }
    await saveState(file, state);
    return { text, delayMs: outcome.kind === 'hang' ? 0 : outcome.delayMs };
  });
  // Latency after the lock is released, as run-double.js does: a slow host delays only its own caller.
  if (result.delayMs > 0) await sleep(result.delayMs);
  process.stdout.write(result.text);
}

main().catch((error) => {
  process.stderr.write(`wts-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
