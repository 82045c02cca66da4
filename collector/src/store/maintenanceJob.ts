// Runs applyRetention at start and then every hour (docs/scaling.md). A failed pass is logged
// and tried again at the next tick; the collector keeps probing either way.
import type pg from 'pg';
import type { Logger } from 'pino';
import { applyRetention, type RetentionPolicy } from './retention.js';

const EVERY_MS = 3_600_000;

export class MaintenanceJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: pg.Pool,
    private readonly policy: RetentionPolicy,
    private readonly logger: Logger,
  ) {}

  /** Makes today's and the coming days' partitions before returning, so the first writes have them. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        const result = await applyRetention(this.pool, this.policy);
        if (result.created > 0 || result.dropped.length > 0 || result.hourlyRowsDeleted > 0) {
          this.logger.info(
            { created: result.created, dropped: result.dropped, hourlyRowsDeleted: result.hourlyRowsDeleted },
            `retention: made ${result.created} partition(s), dropped ${result.dropped.length}, deleted ${result.hourlyRowsDeleted} hourly rollup row(s)`,
          );
        }
      } catch (error) {
        this.logger.error({ err: error }, 'retention pass failed; trying again in an hour');
      }
    });
    return this.running;
  }
}
