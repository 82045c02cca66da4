// Rebuilding the per-minute and per-hour rollups from the raw samples (`llmscope rollup
// --rebuild`). The collector keeps them current as it writes (an insert trigger:
// migrations/1764400000000_series-partitions.sql); a rebuild is for rows written around the
// trigger (a restored dump) or after a fix to the rollup SQL. docs/sql.md describes the tables.
import type pg from 'pg';

export interface RebuildRange {
  from?: Date;
  to?: Date;
}

export interface RebuildResult {
  from: Date | null;
  to: Date | null;
  days: number;
  samples: number;
}

const DAY_MS = 86_400_000;

/**
 * Recomputes the rollups of [from, to) one UTC day per transaction (so a rebuild of months
 * neither holds one huge transaction nor blocks the writer for long). Without bounds it covers
 * every raw sample; rollups older than the raw samples (kept longer by retention) stay as they are.
 */
export async function rebuildRollups(
  pool: pg.Pool,
  range: RebuildRange = {},
  onDay?: (day: Date, samples: number) => void,
): Promise<RebuildResult> {
  const bounds = await pool.query<{ first: Date | null; last: Date | null }>('SELECT min(ts) AS first, max(ts) AS last FROM samples');
  const from = range.from ?? bounds.rows[0]?.first ?? null;
  // The range is half-open: one microsecond past the newest sample takes it in.
  const newest = bounds.rows[0]?.last;
  const to = range.to ?? (newest ? new Date(newest.getTime() + 1) : null);
  if (!from || !to || from >= to) return { from, to, days: 0, samples: 0 };
  let samples = 0;
  let days = 0;
  for (let start = from; start < to;) {
    const end = new Date(Math.min(to.getTime(), (Math.floor(start.getTime() / DAY_MS) + 1) * DAY_MS));
    const { rows } = await pool.query<{ n: string }>('SELECT llmscope_rebuild_rollups($1, $2) AS n', [start, end]);
    const n = Number(rows[0]?.n ?? 0);
    samples += n;
    days++;
    onDay?.(start, n);
    start = end;
  }
  return { from, to, days, samples };
}
