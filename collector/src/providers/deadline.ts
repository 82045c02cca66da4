// A per-request abort signal that fires at a deadline or when the caller's (long-lived)
// signal aborts. Unlike AbortSignal.any/timeout it cleans up after itself: the timer is
// cleared and the listener on the long-lived signal removed, so a collector making
// millions of probes does not accumulate either.

export interface Deadline {
  signal: AbortSignal;
  /** True when the deadline (not the caller) aborted the request. */
  readonly expired: boolean;
  dispose(): void;
}

export function startDeadline(timeoutMs: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`no reply within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}
