// Reading back what a previous run left: each series' SPC state.
import type pg from 'pg';
import type { SeriesKey } from './rows.js';

export interface StoredSeriesState extends SeriesKey {
  state: unknown;
  asOf: Date;
}

export async function loadSeriesStates(pool: pg.Pool): Promise<StoredSeriesState[]> {
  const { rows } = await pool.query<{ target: string; model: string; probe: string; state: unknown; as_of: Date }>(
    'SELECT target, model, probe, state, as_of FROM series_states',
  );
  return rows.map((r) => ({ target: r.target, model: r.model, probe: r.probe, state: r.state, asOf: r.as_of }));
}
