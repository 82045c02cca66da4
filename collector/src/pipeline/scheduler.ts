// Runs one task on a fixed cadence: never two at once, a slow run skips the slots it
// overran instead of bunching up, and an exception is logged, never fatal.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

export interface CadenceOptions {
  intervalMs: number;
  /** Delay before the first run (spreads many series over the interval). */
  offsetMs: number;
  logger: Logger;
  task: () => Promise<void>;
}

export class CadenceScheduler {
  private readonly options: CadenceOptions;
  private running = false;
  private loop: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(options: CadenceOptions) {
    this.options = options;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops scheduling; resolves when the run in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.wakeUp?.();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      this.timer = setTimeout(resolve, Math.max(0, ms));
    });
  }

  private async run(): Promise<void> {
    const { intervalMs, offsetMs, logger, task } = this.options;
    let next = performance.now() + offsetMs;
    while (this.running) {
      await this.sleep(next - performance.now());
      if (!this.running) break;
      try {
        await task();
      } catch (error) {
        logger.error({ err: error }, 'scheduled task failed; it runs again at its next slot');
      }
      next += intervalMs;
      const now = performance.now();
      if (next < now) next += Math.ceil((now - next) / intervalMs) * intervalMs;
    }
  }
}
