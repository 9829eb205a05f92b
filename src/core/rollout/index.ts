// Rolling maintenance of a farm (`session-logoff rollout`): waves under a budget, one host's whole cycle,
// the state file that carries it across CI jobs.
export { rollout } from './rollout.js';
export { rolloutExitCode } from './finish.js';
export { createMaintenanceCommand, hostLogFile, type MaintenanceCommandOptions } from './maintenance-command.js';
export { readStateFile, type RolloutStateDoc, type RolloutPlanOptions } from './state-file.js';
export { resolveMaxUnavailable, budgetOf, pickWave } from './budget.js';
export { renderWarning, warnMarks, DEFAULT_CANCEL_MESSAGE } from './messages.js';
export { ROLLOUT_DEFAULTS } from './plan-options.js';
export { createNotifier, assertNotifyUrl, DEFAULT_NOTIFY_TIMEOUT_MS, type Notifier } from './notify.js';
export type * from './types.js';
