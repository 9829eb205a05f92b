#!/usr/bin/env node
// A maintenance command for rollout tests: `node maintenance.mjs <host>`. Appends "start <host>" and
// "end <host>" to $MAINT_LOG (appends are atomic for short lines, so many hosts can share the file), then:
// exits 1 for a host in $MAINT_FAIL (comma list); waits for "$MAINT_LOG.gate" to exist for $MAINT_GATE;
// restarts the host in the farm state ($SESSION_LOGOFF_FARM_STATE, else the doubles' $SESSION_LOGOFF_FARM) for
// $MAINT_REBOOT_MS (default 300).
// Plain JS on the built engine (dist/), like the other doubles.
import { appendFileSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { rebootHost } from '../../../dist/sim/reboot.js';
import { createFarmStateFile } from '../../../dist/sim/state-file.js';

const host = process.argv[2];
const log = process.env.MAINT_LOG;
if (!host || !log || host !== process.env.SESSION_LOGOFF_HOST) {
  console.error(`maintenance.mjs: need <host> = $SESSION_LOGOFF_HOST and $MAINT_LOG (got ${host}, ${process.env.SESSION_LOGOFF_HOST})`);
  process.exit(2);
}
appendFileSync(log, `start ${host}\n`);
if (process.env.MAINT_GATE === host) appendFileSync(log, `pid ${host} ${process.pid}\n`);
console.log(`patching ${host}`);
if (process.env.MAINT_GATE === host) {
  while (!existsSync(`${log}.gate`)) await sleep(20);
}
if ((process.env.MAINT_FAIL ?? '').split(',').includes(host)) {
  appendFileSync(log, `end ${host} failed\n`);
  console.error(`patch failed on ${host}`);
  process.exit(1);
}
// The simulated transport's --farm-state, or the PATH doubles' state file.
const file = process.env.SESSION_LOGOFF_FARM_STATE || process.env.SESSION_LOGOFF_FARM;
if (file) await createFarmStateFile(file, null).transact((state) => rebootHost(state, host, Number(process.env.MAINT_REBOOT_MS ?? 300), Date.now()));
appendFileSync(log, `end ${host}\n`);
