/**
 * session-logoff: list, warn, drain and log off Windows Remote Desktop sessions safely.
 *
 * This barrel has no side effects: nothing spawns at import time. Transports are created explicitly with
 * {@link createTransport} and must be disposed.
 *
 * @example
 * ```ts
 * import { createTransport, listSessions } from 'session-logoff';
 * const transport = await createTransport('exec');
 * try {
 *   const { sessions, errors } = await listSessions({ transport, servers: ['rdsh01', 'rdsh02'] });
 * } finally {
 *   await transport.dispose();
 * }
 * ```
 * @packageDocumentation
 */

export type * from './types.js';
export * from './errors.js';

// Parsing: pure functions over captured text or bytes.
export { parseQuser } from './parse/quser.js';
export { parseQuerySession } from './parse/query-session.js';
export { classifyOutput } from './parse/classify.js';
export { decodeOutput } from './parse/decode.js';
export { parseIdleTime } from './parse/idle-time.js';
export { canonicalState } from './parse/states.js';
export { dateOrderFromPattern } from './parse/date-order.js';

// Validation: what every CLI flag and library option goes through before any process starts.
export {
  assertHost,
  assertSessionId,
  assertSessionName,
  parseTarget,
  assertTargetAllowed,
  assertUserPattern,
  globToRegExp,
  parseDuration,
  assertMessageText,
  assertConcurrency,
  parseShard,
  type Target,
} from './validate.js';

// Invocations: pure argv builders.
export { buildQuser, buildQuerySession, buildLogoff, buildMsg, buildChangeLogon } from './commands/index.js';

// Transports.
export type { Runner, RunResult, RunOptions } from './run/runner.js';
export type { Transport, TransportName, QueryKind, LogonMode, LogonState } from './run/transport.js';
export { createTransport, type CreateTransportOptions } from './run/create-transport.js';
export type { SourceChoice } from './run/wts-source.js';
export { createExecTransport, type ExecTransportOptions } from './run/exec-transport.js';
export { createExecaRunner, type ExecaRunnerOptions } from './run/execa-runner.js';
export { createPsHost, type PsHost, type PsHostOptions, type PsEnvelope } from './run/ps-host.js';
export { createPowerShellTransport, type PowerShellTransportOptions } from './run/ps-transport.js';
export { quotePsLiteral } from './run/ps-scripts.js';
export { createSimulatedRunner, parseFarm, loadFarmFile, rebootHost, createFarmStateFile, type Farm, type SimHost, type SimSession, type FarmStore } from './sim/index.js';

// Operations over one host or many.
export * from './core/index.js';
