import type { RequestHandler } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ExportRunner } from '../export/exportRunner.js';
import type { SeriesKey } from '../store/seriesQueries.js';

/** The one pipeline operation the API needs: forget the frozen limits of matching series. */
export interface BaselineResetter {
  resetBaselines(filter: Partial<SeriesKey>): Promise<number>;
}

/** What every route module receives from the composition root. */
export interface ApiContext {
  pool: pg.Pool;
  logger: Logger;
  /** Runs CSV/PDF exports in worker threads, a bounded number at once. */
  exports: ExportRunner;
  pipeline: BaselineResetter;
  /** Guards mutations: Bearer token, or 403 when the API is read-only. */
  requireToken: RequestHandler;
}
