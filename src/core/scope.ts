import type { HostTarget } from './hosts.js';
import type { RunContext } from './context.js';
import type { ActionRecord, HostErrorRecord } from './types.js';

/** Per-host collector: actions and errors in the order they happened, merged in host order at the end. */
export class HostScope {
  readonly actions: ActionRecord[] = [];
  readonly errors: HostErrorRecord[] = [];
  constructor(
    readonly ctx: RunContext,
    readonly host: HostTarget,
  ) {}

  /** Records an action; an attempted change (by default: done, failed, already-gone) also becomes an audit event. */
  act(action: Omit<ActionRecord, 'host'>, attempted = action.status === 'done' || action.status === 'failed' || action.status === 'already-gone'): ActionRecord {
    const record: ActionRecord = { host: this.host.name, ...action };
    this.actions.push(record);
    // verify only reads; every other kind changes the host when attempted.
    if (attempted && record.action !== 'verify') {
      this.ctx.emit({
        time: this.ctx.now().toISOString(),
        operator: this.ctx.operator,
        host: record.host,
        sessionId: record.sessionId,
        username: record.username,
        action: record.action,
        result: record.status,
        reason: record.reason,
      });
    }
    return record;
  }

  fail(error: Omit<HostErrorRecord, 'host'>): HostErrorRecord {
    const record: HostErrorRecord = { host: this.host.name, ...error };
    this.errors.push(record);
    return record;
  }

  get failed(): boolean {
    return this.errors.length > 0 || this.actions.some((a) => a.status === 'failed' || a.status === 'refused' || a.status === 'not-found');
  }
}
