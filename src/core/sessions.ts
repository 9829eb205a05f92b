import type { SessionRecord } from '../types.js';
import { buildMsg } from '../commands/msg.js';
import { assertMessageText } from '../validate.js';
import type { HostScope } from './scope.js';
import { normalizeHosts } from './hosts.js';
import { queryHost, querySessions } from './query.js';
import { collect, runHosts } from './run.js';
import { assertListFilters, assertSelection, filtersOf, selectTargets } from './select.js';
import { plannedAction } from './plan.js';
import { messageSession } from './steps.js';
import type { ActionReport, ListOptions, ListReport, MessageOptions } from './types.js';

/**
 * Lists sessions on every host (quser: user sessions; `allSessions`: query session, including services,
 * console and listeners). Every record carries its host; a host that fails adds an error and never stops
 * the others. An aborted run returns what was listed, with ERR_ABORTED for the hosts not reached.
 * With filters (`user`, `states`, `idleOverMinutes`), a host is queried as `logoff` queries it (query
 * session, with quser's idle and logon columns) and only what `logoff` with the same filters would act on is
 * listed: the same selection code, so a listing previews a logoff.
 * @example
 * const report = await listSessions({ servers: ['rds01', 'rds02'], transport: createExecTransport({ runner }) });
 * for (const s of report.sessions) console.log(s.host, s.id, s.username, s.state);
 * @example
 * await listSessions({ servers: ['rds01'], transport, states: ['Disc'], idleOverMinutes: 120 }); // what logoff would hit
 */
export async function listSessions(options: ListOptions): Promise<ListReport> {
  const filtered = assertListFilters(options);
  const found = new Map<HostScope, SessionRecord[]>();
  const run = await runHosts(options, async (scope) => {
    const outcome = filtered
      ? await querySessions(scope.ctx, scope.host, true)
      : await queryHost(scope.ctx, scope.host, options.allSessions ? 'query-session' : 'quser');
    if (!outcome.ok) scope.fail(outcome.failure);
    else found.set(scope, filtered ? selectTargets(outcome.sessions, filtersOf(options)).targets : outcome.sessions);
  });
  return { sessions: run.scopes.flatMap((s) => found.get(s) ?? []), errors: collect(run).errors };
}

/**
 * Sends a message to the selected sessions on every host. Same selection rules as `logoff` (never
 * services, console or listeners; own session only with `self`); sessions that are not Active cannot see
 * a message and are `skipped`. `dryRun` reports `planned` and sends nothing.
 * @example
 * await sendMessage({ servers: ['rds01'], transport, all: true, text: 'Restart at 18:00, please save your work.' });
 */
export async function sendMessage(options: MessageOptions): Promise<ActionReport> {
  const text = assertMessageText(options.text);
  // Checked by buildMsg too, but only once a host has been queried: a bad value must stop the call first.
  if (options.seconds !== undefined) buildMsg({ id: 1, text, seconds: options.seconds });
  assertSelection(options);
  normalizeHosts(options.servers);
  const run = await runHosts(options, async (scope) => {
    const outcome = await querySessions(scope.ctx, scope.host, options.idleOverMinutes !== undefined);
    if (!outcome.ok) {
      scope.fail(outcome.failure);
      return;
    }
    const plan = selectTargets(outcome.sessions, options);
    for (const r of plan.rejected) scope.act({ ...r, action: 'message' });
    for (const session of plan.targets) {
      if (scope.ctx.signal?.aborted) {
        // What was not done is reported too: every target has a record.
        scope.act({ sessionId: session.id, username: session.username, action: 'message', status: 'skipped', reason: 'not sent: the run was interrupted' });
      } else if (session.state !== 'Active') {
        scope.act({ sessionId: session.id, username: session.username, action: 'message', status: 'skipped', reason: `session is ${session.state}: only Active sessions can see a message` });
      } else if (options.dryRun) {
        scope.act(plannedAction(session, 'message'));
      } else {
        await messageSession(scope, session, text, options.seconds);
      }
    }
  });
  return collect(run);
}
