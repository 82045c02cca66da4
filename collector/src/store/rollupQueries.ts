// The per-minute and per-hour rollups of samples. The insert triggers queue what each INSERT
// added; foldRollups moves the queue into the rollups (migrations/1764600000000_rollup-queue.sql,
// docs/sql.md). A rebuild (`llmscope rollup --rebuild`) recomputes them from the raw samples: for
// rows written around the triggers (a restored dump) or after a fix to the rollup SQL.
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
 * Counts every queued sample and violation into the rollups, in one transaction; returns the
 * number of samples folded. Folds wait for each other (an advisory lock), so callers may fold
 * whenever they are about to read rollups.
 */
export async function foldRollups(db: pg.Pool | pg.ClientBase): Promise<number> {
  // An empty queue (the usual case for a reader) costs two empty scans, not the fold's lock and temp tables.
  const { rows } = await db.query<{ n: string }>(
    `SELECT CASE WHEN EXISTS (SELECT FROM sample_rollup_queue) OR EXISTS (SELECT FROM violation_rollup_queue)
                 THEN llmscope_fold_rollups() ELSE 0 END AS n`,
  );
  return Number(rows[0]?.n ?? 0);
}

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
  // Each day in REPEATABLE READ: the queue rows it drops and the raw rows it counts are read at
  // one snapshot, so a sample written meanwhile is counted once, by this or by a later fold. The
  // session-level lock, taken before the snapshot, keeps folds out until the rebuild ends.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(llmscope_rollup_lock_key())');
    try {
      for (let start = from; start < to;) {
        const end = new Date(Math.min(to.getTime(), (Math.floor(start.getTime() / DAY_MS) + 1) * DAY_MS));
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        let n: number;
        try {
          const { rows } = await client.query<{ n: string }>('SELECT llmscope_rebuild_rollups($1, $2) AS n', [start, end]);
          await client.query('COMMIT');
          n = Number(rows[0]?.n ?? 0);
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        samples += n;
        days++;
        onDay?.(start, n);
        start = end;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(llmscope_rollup_lock_key())').catch(() => undefined);
    }
  } finally {
    client.release();
  }
  return { from, to, days, samples };
}
