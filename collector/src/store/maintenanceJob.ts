// Runs applyRetention at start and then every hour, and folds the rollup queue every few
// seconds (docs/scaling.md). A failed pass is logged and tried again at the next tick; the
// collector keeps probing either way.
import type pg from 'pg';
import type { Logger } from 'pino';
import { applyRetention, type RetentionPolicy } from './retention.js';
import { foldRollups } from './rollupQueries.js';

const EVERY_MS = 3_600_000;
/** How often queued samples are counted into the rollups: how far rollups may trail the raw samples. */
const FOLD_EVERY_MS = 5_000;

export class MaintenanceJob {
  private timer: NodeJS.Timeout | null = null;
  private foldTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private folding: Promise<void> = Promise.resolve();
  private foldFailing = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly policy: RetentionPolicy,
    private readonly logger: Logger,
    private readonly foldEveryMs = FOLD_EVERY_MS,
  ) {}

  /** Makes today's and the coming days' partitions before returning, so the first writes have them. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), EVERY_MS);
    this.timer.unref();
    this.foldTimer = setInterval(() => void this.fold(), this.foldEveryMs);
    this.foldTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.foldTimer) clearInterval(this.foldTimer);
    this.timer = null;
    this.foldTimer = null;
    await Promise.all([this.running, this.folding]);
  }

  /** One fold at a time; a failure is logged once until a fold succeeds again (the database may be down for long). */
  private fold(): Promise<void> {
    this.folding = this.folding.then(async () => {
      try {
        await foldRollups(this.pool);
        if (this.foldFailing) this.logger.info('rollup fold works again');
        this.foldFailing = false;
      } catch (error) {
        if (!this.foldFailing) this.logger.error({ err: error }, 'rollup fold failed; the queued samples stay queued and are tried again');
        this.foldFailing = true;
      }
    });
    return this.folding;
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
