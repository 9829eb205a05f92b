export { resolveSystemProgram, defaultSystemContext, type SystemContext, type SystemProgram } from './system-path.js';
export { serverArgs } from './server-arg.js';
export { buildQuser, type QuserOptions } from './quser.js';
export { buildQuerySession } from './query-session.js';
export { buildLogoff, assertTargetId, type LogoffOptions } from './logoff.js';
export { buildMsg, type MsgOptions, MAX_MSG_SECONDS } from './msg.js';
export { buildChangeLogon, changeLogonFlag } from './change-logon.js';
export {
  buildShortDateQuery,
  buildDrainModeQuery,
  buildWinStationsDisabledQuery,
  parseRegValue,
  regDword,
  readRegDword,
  logonStateFrom,
  type RegValue,
} from './reg.js';
