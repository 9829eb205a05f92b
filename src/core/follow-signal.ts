/** A signal of one waiter's own that aborts when the run's signal does (with its reason). */
export interface FollowedSignal {
  readonly signal: AbortSignal;
  /** Aborts this waiter only (its own deadline, say); the run's signal is untouched. */
  abort(reason: unknown): void;
  /** Done: the run's signal no longer holds this waiter. Call it in `finally`. */
  release(): void;
}

interface Fanout {
  followers: Set<AbortController>;
  onAbort: () => void;
}

// Per source signal: its followers, and the one listener it carries while it has any.
const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Every call, wait and maintenance of a run listens to a signal of its own from here, never to the run's
 * signal itself: the run's signal carries ONE 'abort' listener while any waiter follows it, however many
 * hosts are in flight. (Each adding its own listener set off Node's MaxListenersExceededWarning past 10.)
 * Not AbortSignal.any: on Node 20 every composite leaves an entry in its source that is never pruned.
 * @example
 * const link = followSignal(ctx.signal);
 * try { await ctx.sleep(ms, link.signal); } finally { link.release(); }
 */
export function followSignal(source: AbortSignal | undefined): FollowedSignal {
  const controller = new AbortController();
  const own = { signal: controller.signal, abort: (reason: unknown) => controller.abort(reason) };
  if (source === undefined) return { ...own, release: () => undefined };
  if (source.aborted) {
    controller.abort(source.reason);
    return { ...own, release: () => undefined };
  }
  const fanout = fanouts.get(source) ?? listen(source);
  const { followers, onAbort } = fanout;
  followers.add(controller);
  return {
    ...own,
    release: () => {
      if (!followers.delete(controller) || followers.size > 0 || fanouts.get(source) !== fanout) return;
      // The last one out removes the listener: a signal reused for many runs keeps none of theirs.
      fanouts.delete(source);
      source.removeEventListener('abort', onAbort);
    },
  };
}

function listen(source: AbortSignal): Fanout {
  const fanout: Fanout = {
    followers: new Set(),
    onAbort: () => {
      fanouts.delete(source);
      for (const follower of fanout.followers) follower.abort(source.reason);
      fanout.followers.clear();
    },
  };
  fanouts.set(source, fanout);
  source.addEventListener('abort', fanout.onAbort, { once: true });
  return fanout;
}
