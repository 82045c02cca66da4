// What retention left of a series (docs/scaling.md): the oldest raw sample still stored, and
// whether rollups show that older samples existed, so a violation's context can say it was cut.
import type pg from 'pg';
import type { SeriesKey } from './rows.js';

export interface RetainedRange {
  /** The oldest raw sample of the series still stored; null when none is. */
  firstRaw: Date | null;
  /** True when the hourly rollups count samples older than firstRaw: retention removed them. */
  olderRemoved: boolean;
}

export async function retainedRange(pool: pg.Pool, series: SeriesKey): Promise<RetainedRange> {
  const { rows } = await pool.query<{ first_raw: Date | null; older_removed: boolean }>(
    `WITH se AS (SELECT id FROM series WHERE target = $1 AND model = $2 AND probe = $3),
          raw AS (SELECT min(s.ts) AS first_raw FROM samples s, se WHERE s.series_id = se.id)
     SELECT raw.first_raw, EXISTS (
       SELECT 1 FROM sample_rollups_1h r, se
       WHERE r.series_id = se.id AND (raw.first_raw IS NULL OR r.bucket < date_trunc('hour', raw.first_raw))
     ) AS older_removed
     FROM raw`,
    [series.target, series.model, series.probe],
  );
  return { firstRaw: rows[0]?.first_raw ?? null, olderRemoved: rows[0]?.older_removed ?? false };
}
