import type { ParseIssue, SessionRecord } from '../types.js';
import type { RowContext } from './table.js';

/** Names cut with `...` are kept as printed but flagged: they cannot be used to address the session. */
export function flagTruncated(ctx: RowContext, record: SessionRecord): void {
  if (record.username?.endsWith('...')) ctx.issue('TRUNCATED_NAME', `USERNAME "${record.username}" is truncated`);
  if (record.sessionName?.endsWith('...')) ctx.issue('TRUNCATED_NAME', `SESSIONNAME "${record.sessionName}" is truncated`);
}

/**
 * Ids are unique per host, so an id printed twice means at least one row was misread (or two outputs were
 * pasted together): every row with that id is flagged ambiguous and never acted on.
 */
export function flagDuplicateIds(sessions: readonly SessionRecord[], lines: readonly number[], issues: ParseIssue[]): void {
  const seen = new Map<number, number>();
  for (const s of sessions) seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
  if (seen.size === sessions.length) return;
  sessions.forEach((s, i) => {
    const count = seen.get(s.id) ?? 0;
    if (count < 2) return;
    const message = `session ID ${s.id} is printed on ${count} rows: cannot tell which row is that session`;
    s.ambiguous ??= message;
    issues.push({ line: lines[i] ?? 0, code: 'DUPLICATE_ID', message });
  });
}
