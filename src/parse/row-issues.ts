import type { SessionRecord } from '../types.js';
import type { RowContext } from './table.js';

/** Names cut with `...` are kept as printed but flagged: they cannot be used to address the session. */
export function flagTruncated(ctx: RowContext, record: SessionRecord): void {
  if (record.username?.endsWith('...')) ctx.issue('TRUNCATED_NAME', `USERNAME "${record.username}" is truncated`);
  if (record.sessionName?.endsWith('...')) ctx.issue('TRUNCATED_NAME', `SESSIONNAME "${record.sessionName}" is truncated`);
}
