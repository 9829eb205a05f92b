import { runChangeLogon, runReg } from './engine-logons.js';
import { runLogoff, runMsg } from './engine-actions.js';
import { runQuery } from './engine-query.js';
import { fail, type SimOutcome } from './outcome.js';
import { CRLF, invalidParameters, QUSER_USAGE } from './sim-errors.js';
import type { FarmState } from './state.js';

export type { SimOutcome } from './outcome.js';

export interface SimInvocation {
  /** Program name or path: `quser`, `C:\Windows\System32\quser.exe`, `/usr/bin/qwinsta` … */
  program: string;
  args: readonly string[];
  stdin?: string;
}

/** `quser.exe` and `C:\…\QUser.EXE` are the same program, as on Windows. */
export function programName(program: string): string {
  const base = program.split(/[\\/]/).pop() ?? program;
  return base.toLowerCase().replace(/\.exe$/, '');
}

/**
 * Runs one Windows session tool against the simulated farm, mutating `state` the way the real tool would
 * change the hosts. Pure apart from `state`: no timers, no I/O. Every invocation is recorded verbatim in
 * `state.calls`, so tests can prove hostile values arrived as single literal arguments.
 * @example runSimulated(state, { program: 'quser', args: ['/server:rds1'] }, Date.now()).stdout
 */
export function runSimulated(state: FarmState, invocation: SimInvocation, now: number): SimOutcome {
  const args = [...invocation.args];
  state.calls.push({ program: invocation.program, args, ...(invocation.stdin !== undefined ? { stdin: invocation.stdin } : {}) });
  const name = programName(invocation.program);
  switch (name) {
    case 'quser':
      return runQuery(state, 'quser', args, now);
    case 'qwinsta':
      return runQuery(state, 'qwinsta', args, now);
    case 'query': {
      const [sub, ...rest] = args;
      const kind = sub?.toLowerCase();
      if (kind === 'user') return runQuery(state, 'quser', rest, now);
      if (kind === 'session') return runQuery(state, 'qwinsta', rest, now);
      return fail(invalidParameters(QUSER_USAGE));
    }
    case 'logoff':
      return runLogoff(state, args, now);
    case 'msg':
      return runMsg(state, args, invocation.stdin, now);
    case 'change':
      return runChangeLogon(state, args);
    case 'chglogon':
      return runChangeLogon(state, ['logon', ...args]);
    case 'reg':
      return runReg(state, args, now);
    default:
      // What a shell prints for a program that does not exist; exit 9009 is cmd.exe's "not recognized".
      return { ...fail(`'${invocation.program}' is not recognized as an internal or external command,${CRLF}operable program or batch file.${CRLF}`), exitCode: 9009 };
  }
}
