import { ValidationError } from '../../errors.js';
import type { RolloutEvent } from './types.js';

export const DEFAULT_NOTIFY_TIMEOUT_MS = 5_000;

export interface Notifier {
  /** Pass as `onRolloutEvent`: queues the event and returns at once. */
  readonly send: (event: RolloutEvent) => void;
  /** Waits for the events still queued, at most one timeout in all; resolves with how many were not delivered. */
  close(): Promise<number>;
}

/**
 * Accepts an http(s) URL for --notify-url; anything else is invalid input.
 * @example assertNotifyUrl('https://hooks.example/rollout') // URL
 */
export function assertNotifyUrl(value: string, argument = 'notifyUrl'): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(argument, value, `invalid ${argument} ${JSON.stringify(value)}: expected an http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError(argument, value, `invalid ${argument} ${JSON.stringify(value)}: expected an http:// or https:// URL`);
  return url;
}

/**
 * POSTs each rollout event as JSON to `url`, one at a time in order, each bounded by `timeoutMs`. A failing or
 * slow endpoint never stops or slows the rollout: `send` only queues, failures go to `onError` (once per
 * event), and at the end `close()` gives what is still queued at most one more timeout.
 * @example
 * const notifier = createNotifier('https://hooks.example/rollout');
 * await rollout({ ..., onRolloutEvent: notifier.send });
 * await notifier.close();
 */
export function createNotifier(url: string | URL, options: { timeoutMs?: number; onError?: (message: string) => void; fetch?: typeof fetch } = {}): Notifier {
  const target = typeof url === 'string' ? assertNotifyUrl(url) : url;
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  const post = options.fetch ?? fetch;
  const queue: RolloutEvent[] = [];
  let closing: AbortController | null = null;
  let running: Promise<void> | null = null;
  let undelivered = 0;
  const deliver = async (event: RolloutEvent): Promise<void> => {
    const signals = [AbortSignal.timeout(timeoutMs), ...(closing ? [closing.signal] : [])];
    try {
      const response = await post(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), signal: AbortSignal.any(signals) });
      // The body is never read: drop it so the connection can be reused.
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      undelivered++;
      options.onError?.(`--notify-url: ${event.event}${event.host ? ` ${event.host}` : ''} not delivered: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const drain = async (): Promise<void> => {
    for (let event = queue.shift(); event; event = queue.shift()) await deliver(event);
    running = null;
  };
  return {
    send(event) {
      queue.push(event);
      running ??= drain();
    },
    async close() {
      closing = new AbortController();
      const stop = setTimeout(() => closing?.abort(new Error('the notification timeout at exit passed')), timeoutMs);
      stop.unref?.();
      try {
        await Promise.race([running ?? Promise.resolve(), new Promise((resolve) => closing?.signal.addEventListener('abort', resolve, { once: true }))]);
      } finally {
        clearTimeout(stop);
      }
      const dropped = queue.length;
      queue.length = 0;
      return undelivered + dropped;
    },
  };
}
