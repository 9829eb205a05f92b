import { ValidationError } from '../../errors.js';
import { assertMessageText, MAX_MESSAGE_LENGTH } from '../../validate.js';
import { defaultDrainMessage } from '../drain-steps.js';

/** Sent to users who were warned when the rollout stops before their logoff. */
export const DEFAULT_CANCEL_MESSAGE = 'The maintenance of this server is cancelled: you will not be logged off. You can keep working.';

const PLACEHOLDER = /\{(minutes|deadline|host)\}/gu;

function hhmm(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * A warning's text: drain's default (naming the deadline), or `template` with `{minutes}` (minutes left,
 * rounded up), `{deadline}` (24-hour HH:MM on the orchestrating machine's clock) and `{host}` filled in.
 * @example renderWarning('{host} restarts at {deadline}: {minutes} min', 'rds01', new Date(2026, 0, 1, 14, 5), new Date(2026, 0, 1, 13, 55)) // 'rds01 restarts at 14:05: 10 min'
 */
export function renderWarning(template: string | undefined, host: string, deadline: Date, now: Date): string {
  if (template === undefined) return defaultDrainMessage(deadline, now);
  const minutes = Math.max(0, Math.ceil((deadline.getTime() - now.getTime()) / 60_000));
  return template.replace(PLACEHOLDER, (_, name: string) => (name === 'minutes' ? String(minutes) : name === 'deadline' ? hhmm(deadline) : host));
}

/**
 * Checks a warning template before anything runs: valid message text, and still at most 255 characters once
 * the longest host name and minutes count are filled in (msg.exe's limit), so no warning fails mid-rollout.
 */
export function assertWarningTemplate(template: string, hosts: readonly string[], graceMs: number, argument = 'message'): string {
  const text = assertMessageText(template, argument);
  const longest = hosts.reduce((a, b) => (b.length > a.length ? b : a), '');
  const filled = text.replace(PLACEHOLDER, (_, name: string) => (name === 'minutes' ? String(Math.ceil(graceMs / 60_000)) : name === 'deadline' ? '00:00' : longest));
  if (filled.length > MAX_MESSAGE_LENGTH) {
    throw new ValidationError(argument, template, `invalid ${argument}: ${filled.length} characters once {host} and {minutes} are filled in; at most ${MAX_MESSAGE_LENGTH}`, { redact: true });
  }
  return text;
}

/**
 * The warning marks that fall inside the grace period, latest first (largest time-before-deadline first),
 * without duplicates: a mark at or past the grace is the first warning itself.
 * @example warnMarks([60_000, 600_000, 1_800_000], 900_000) // [600_000, 60_000]
 */
export function warnMarks(warnAtMs: readonly number[] | undefined, graceMs: number): number[] {
  return [...new Set(warnAtMs ?? [])].filter((m) => m > 0 && m < graceMs).sort((a, b) => b - a);
}
