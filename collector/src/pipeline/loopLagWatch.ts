// Watches the collector's own event-loop lag (perf_hooks.monitorEventLoopDelay). A probe is
// timed on this loop: while the loop is blocked, the reply's arrival is noticed late and the
// latency we record is our delay, not the model server's. A probe window during which the lag
// exceeded the bound is reported so the sample can be stored as 'suspect' and kept out of SPC
// (docs/reliability.md, "Measurement integrity").
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LagWindow {
  /** The worst event-loop delay seen since the window began, in ms. */
  end(): number;
}

export interface LoopLag {
  beginWindow(): LagWindow;
}

const RESOLUTION_MS = 10;
const TICK_MS = 100;
const NS_PER_MS = 1e6;

export class LoopLagWatch implements LoopLag {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  /** Open windows and the worst lag each has seen in closed ticks. */
  private readonly open = new Map<object, number>();
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    this.histogram.enable();
    // Each tick folds the lag since the previous tick into every open window, then starts over.
    this.timer = setInterval(() => {
      const worst = this.currentMaxMs();
      this.histogram.reset();
      for (const [window, seen] of this.open) if (worst > seen) this.open.set(window, worst);
    }, TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.histogram.disable();
    this.open.clear();
  }

  beginWindow(): LagWindow {
    const key = {};
    this.open.set(key, 0);
    return {
      end: () => {
        const seen = Math.max(this.open.get(key) ?? 0, this.currentMaxMs());
        this.open.delete(key);
        return seen;
      },
    };
  }

  /**
   * The histogram measures how late its own 10 ms timer fired, so an idle loop reads about
   * the resolution; only what lies beyond it is lag.
   */
  private currentMaxMs(): number {
    const max = this.histogram.max;
    // An empty histogram reports a huge max (its initial value), not a delay.
    if (this.histogram.count === 0 || !Number.isFinite(max) || max > 1e15) return 0;
    return Math.max(0, max / NS_PER_MS - RESOLUTION_MS);
  }
}

/** For pipelines run without a watch (tests, analyze): never lags. */
export const noLoopLag: LoopLag = { beginWindow: () => ({ end: () => 0 }) };
