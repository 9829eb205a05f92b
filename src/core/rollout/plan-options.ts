import { ValidationError } from '../../errors.js';
import { assertMessageText, assertMilliseconds } from '../../validate.js';
import { DRAIN_DEFAULTS } from '../drain-steps.js';
import type { BlockLogonsMode } from '../types.js';
import { resolveMaxUnavailable } from './budget.js';
import { assertWarningTemplate, DEFAULT_CANCEL_MESSAGE } from './messages.js';
import type { RolloutPlanOptions } from './state-file.js';
import type { OnFailure, RolloutOptions } from './types.js';

export const ROLLOUT_DEFAULTS = {
  maxUnavailable: 1,
  minServing: 0,
  canary: 1,
  maxFailed: 0,
  onFailure: 'keep' as OnFailure,
  waitBackMs: 30 * 60_000,
  maintainTimeoutMs: 60 * 60_000,
  leaseMs: 12 * 3_600_000,
};
// A lease is a date to compare with, never a timer: it may be longer than a day (a rollout spread over jobs).
const MAX_LEASE_MS = 30 * 86_400_000;
const BLOCK_MODES: readonly BlockLogonsMode[] = ['drain', 'until-restart', 'none'];

/** A count option (minServing, canary, maxFailed): a whole number from 0, or the fallback when undefined. */
export function assertCount(value: number | undefined, argument: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw new ValidationError(argument, String(value), `invalid ${argument} ${JSON.stringify(value)}: expected a whole number from 0`);
  }
  return value;
}

/**
 * Checks every rollout option (ValidationError naming it, before any host is touched) and fills in defaults.
 * `hosts` are the plan's host names: the warning text must fit msg's 255 characters for each.
 */
export function resolvePlanOptions(options: RolloutOptions, hosts: readonly string[]): RolloutPlanOptions {
  if (typeof options.maintain !== 'function') throw new ValidationError('maintain', String(options.maintain), 'invalid maintain: expected a function (host, signal) => Promise<void>');
  const blockLogons = options.blockLogons ?? DRAIN_DEFAULTS.blockLogons;
  if (!BLOCK_MODES.includes(blockLogons)) throw new ValidationError('blockLogons', String(blockLogons), `invalid blockLogons ${JSON.stringify(String(blockLogons))}: expected ${BLOCK_MODES.join(', ')}`);
  const onFailure = options.onFailure ?? ROLLOUT_DEFAULTS.onFailure;
  if (onFailure !== 'keep' && onFailure !== 'restore') throw new ValidationError('onFailure', String(onFailure), `invalid onFailure ${JSON.stringify(String(onFailure))}: expected keep or restore`);
  const graceMs = assertMilliseconds(options.graceMs, 'graceMs') ?? DRAIN_DEFAULTS.graceMs;
  const warnAtMs = [...(options.warnAtMs ?? [])];
  warnAtMs.forEach((ms, i) => assertMilliseconds(ms, `warnAtMs[${i}]`));
  const maintainTimeoutMs = assertMilliseconds(options.maintainTimeoutMs, 'maintainTimeoutMs') ?? ROLLOUT_DEFAULTS.maintainTimeoutMs;
  if (maintainTimeoutMs === 0) throw new ValidationError('maintainTimeoutMs', '0', 'invalid maintainTimeoutMs 0: a maintenance needs at least 1 ms');
  const plan: RolloutPlanOptions = {
    maxUnavailable: resolveMaxUnavailable(options.maxUnavailable, hosts.length),
    minServing: assertCount(options.minServing, 'minServing', ROLLOUT_DEFAULTS.minServing),
    canary: assertCount(options.canary, 'canary', ROLLOUT_DEFAULTS.canary),
    maxFailed: assertCount(options.maxFailed, 'maxFailed', ROLLOUT_DEFAULTS.maxFailed),
    onFailure,
    blockLogons,
    message: options.message === undefined ? null : assertWarningTemplate(options.message, hosts, graceMs),
    cancelMessage: options.cancelMessage === undefined ? DEFAULT_CANCEL_MESSAGE : assertMessageText(options.cancelMessage, 'cancelMessage'),
    graceMs,
    warnAtMs,
    pollIntervalMs: assertMilliseconds(options.pollIntervalMs, 'pollIntervalMs') ?? DRAIN_DEFAULTS.pollIntervalMs,
    verifyTimeoutMs: assertMilliseconds(options.verifyTimeoutMs, 'verifyTimeoutMs') ?? DRAIN_DEFAULTS.verifyTimeoutMs,
    waitBackMs: assertMilliseconds(options.waitBackMs, 'waitBackMs') ?? ROLLOUT_DEFAULTS.waitBackMs,
    maintainTimeoutMs,
    leaseMs: assertMilliseconds(options.leaseMs, 'leaseMs', MAX_LEASE_MS) ?? ROLLOUT_DEFAULTS.leaseMs,
  };
  if (hosts.length > 0 && plan.minServing >= hosts.length) {
    throw new ValidationError('minServing', String(plan.minServing), `invalid minServing ${plan.minServing}: it leaves no host to maintain out of ${hosts.length}`);
  }
  assertMilliseconds(options.stopAfterMs, 'stopAfterMs');
  return plan;
}
