// Read SQL behind GET /api/alerts: the alert episodes of one series that overlap a time range
// (docs/alerting.md). Every value travels as a bind parameter.
import type pg from 'pg';
import { ALERTS, columnNames, selectList, type AlertRecord } from '@llmscope/contract';

export interface AlertRange {
  target: string;
  model: string;
  probe: string;
  from: Date;
  to: Date;
}

/** The most episodes one request returns; a series raising more in one range is broken anyway. */
export const MAX_ALERT_EPISODES = 10_000;

const ALERT_COLUMNS = selectList(ALERTS, columnNames(ALERTS), 'a');

/**
 * Episodes that were open at some moment of [from, to]: started by `to` and not ended before
 * `from` (an open episode has no end yet). Oldest first, as the chart reads them.
 */
export async function alertsOverlapping(pool: pg.Pool, range: AlertRange): Promise<AlertRecord[]> {
  const { rows } = await pool.query<AlertRecord>(
    `SELECT ${ALERT_COLUMNS} FROM alerts a
     WHERE a.target = $1 AND a.model = $2 AND a.probe = $3
       AND a.started_at <= $5 AND (a.ended_at IS NULL OR a.ended_at >= $4)
     ORDER BY a.started_at, a.id
     LIMIT ${MAX_ALERT_EPISODES}`,
    [range.target, range.model, range.probe, range.from, range.to],
  );
  return rows;
}
