// The orchestration core: many hosts, bounded and reported. The package barrel re-exports this file.
export { listSessions, sendMessage } from './sessions.js';
export { logoff } from './logoff.js';
export { drain } from './drain.js';
export { DRAIN_DEFAULTS, defaultDrainMessage } from './drain-steps.js';
export { logons } from './logons.js';
export { normalizeHosts, parseServersFile, shardHosts, LOCAL_HOST, type HostTarget } from './hosts.js';
export { mergeReports, exitCodeFor, type AnyReport } from './report.js';
export { createAuditLogWriter, type AuditLogWriter } from './audit.js';
export { selectTargets, assertSelection, protectionReason, type SelectionPlan, type Rejection } from './select.js';
export { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, DEFAULT_RETRY_DELAY_MS, type Sleep } from './context.js';
export * from './rollout/index.js';
export type * from './types.js';
