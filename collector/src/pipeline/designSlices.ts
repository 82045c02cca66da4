// Solves a series' alert detector design before the probe that ends its Phase I reaches the
// (synchronous) alert monitor, which then finds it cached. A design takes ~0.07 s of CPU: run at
// once it held the event loop long enough for the loop-lag guard to mark the probes in flight
// suspect, so it runs in slices of a few milliseconds, each followed by a pause as long, so
// that designs take at most half of the loop. Run back to back (a slice every turn) they
// starved the store writer while 1 000 series ended Phase I together, and the writer's queue
// took the collector's RSS to 207-214 MB; paced, 191 MB. (A worker thread did this before;
// docs/scaling.md, "Collector memory", says why it went.)
import { setTimeout as pause } from 'node:timers/promises';
import { designDetectorInSteps, isDesignCached, type DesignRequest } from '@llmscope/spc';

export interface DesignSolve {
  /** Slices the design took; each but the last followed by a pause of the same length. */
  slices: number;
  /** The longest slice, in ms: what the event loop was held for at most. */
  longestSliceMs: number;
}

export interface DesignSlicer {
  /** Solves and caches the design; null when it was cached already. */
  prime(request: DesignRequest): Promise<DesignSolve | null>;
  /** Stops a solve in progress (its prime() rejects) and refuses new ones. */
  close(): void;
}

/** Long enough that a slice is mostly work, far below telemetry.suspectLoopLag (default 50 ms). */
const SLICE_MS = 4;

export function createDesignSlicer({ sliceMs = SLICE_MS }: { sliceMs?: number } = {}): DesignSlicer {
  let closed = false;
  const solve = async (request: DesignRequest): Promise<DesignSolve | null> => {
    if (isDesignCached(request)) return null;
    const steps = designDetectorInSteps(request);
    const solved: DesignSolve = { slices: 0, longestSliceMs: 0 };
    for (;;) {
      if (closed) throw new Error('the collector is stopping: the alert design was not finished');
      const start = performance.now();
      let step = steps.next();
      while (!step.done && performance.now() - start < sliceMs) step = steps.next();
      solved.slices++;
      solved.longestSliceMs = Math.max(solved.longestSliceMs, performance.now() - start);
      if (step.done) return solved;
      await pause(sliceMs);
    }
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    prime(request) {
      if (isDesignCached(request)) return Promise.resolve(null);
      // One design at a time, each looking in the cache when its turn comes: series that end
      // Phase I together (all of them, when a collector starts with 1 000) mostly share a
      // design, and it is then solved once instead of once per series queued behind it.
      const turn = queue.then(() => solve(request));
      queue = turn.catch(() => undefined);
      return turn;
    },
    close() {
      closed = true;
    },
  };
}
