import { ValidationError } from '../../errors.js';

/**
 * `--max-unavailable`: a count, or a percentage of the hosts (`'10%'`) rounded down and at least 1, as
 * Kubernetes' maxUnavailable and AVD's "maximum hosts unavailable" read it.
 * @example resolveMaxUnavailable('10%', 200) // 20
 */
export function resolveMaxUnavailable(value: number | string | undefined, total: number, argument = 'maxUnavailable'): number {
  if (value === undefined) return 1;
  const text = String(value).trim();
  const percent = /^([0-9]{1,3})%$/u.exec(text);
  if (percent) {
    const p = Number(percent[1]);
    if (p < 1 || p > 100) throw new ValidationError(argument, text, `invalid ${argument} ${JSON.stringify(text)}: a percentage from 1% to 100%`);
    return Math.max(1, Math.floor((total * p) / 100));
  }
  const n = typeof value === 'number' ? value : /^[0-9]{1,6}$/u.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(argument, text, `invalid ${argument} ${JSON.stringify(text)}: expected a whole number of hosts (at least 1) or a percentage like 10%`);
  return n;
}

/**
 * How many hosts may be out of service at once: `maxUnavailable`, and never so many that fewer than
 * `minServing` of `total` keep accepting logons.
 * @example budgetOf(10, 3, 8) // 2
 */
export function budgetOf(total: number, maxUnavailable: number, minServing: number): number {
  return Math.max(0, Math.min(maxUnavailable, total - minServing));
}

/**
 * The next wave, from the pending hosts in plan order. A host already out of service (logons blocked before
 * the run, or left blocked by a failure) costs nothing; any other joins while `outNow` plus those joining stays
 * within `budget`. At most `cap` hosts (the canary size, else max-unavailable). Pure: the caller knows who is out.
 * @example pickWave(['a', 'b', 'c'], new Set(), 0, 2, 5) // ['a', 'b']
 */
export function pickWave(pending: readonly string[], out: ReadonlySet<string>, outNow: number, budget: number, cap: number): string[] {
  const wave: string[] = [];
  let used = outNow;
  for (const host of pending) {
    if (wave.length >= cap) break;
    if (out.has(host)) {
      wave.push(host);
    } else if (used < budget) {
      wave.push(host);
      used++;
    }
  }
  return wave;
}
