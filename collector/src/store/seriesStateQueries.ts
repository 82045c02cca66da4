// Reading back what a previous run left: each series' SPC state, and the ok samples stored
// after it (the state is written every few samples, not with each one; see the pipeline).
import type pg from 'pg';
import type { SeriesKey } from './rows.js';

export interface StoredSeriesState extends SeriesKey {
  state: unknown;
  asOf: Date;
  /** Ok samples of this series stored after `asOf`, oldest first: SPC replays them. */
  samplesSince: Array<{ uid: string; ts: string; latencyMs: number }>;
}

export async function loadSeriesStates(pool: pg.Pool): Promise<StoredSeriesState[]> {
  const { rows } = await pool.query<{ target: string; model: string; probe: string; state: unknown; as_of: Date }>(
    'SELECT target, model, probe, state, as_of FROM series_states',
  );
  const states = new Map(rows.map((r) => [JSON.stringify([r.target, r.model, r.probe]), { target: r.target, model: r.model, probe: r.probe, state: r.state, asOf: r.as_of, samplesSince: [] as StoredSeriesState['samplesSince'] }]));
  // A sample's ts is its probe's start, and a state is stamped after its sample was taken in,
  // so the samples the state has not seen are exactly those with ts > as_of.
  const since = await pool.query<{ target: string; model: string; probe: string; uid: string; ts: Date; latency_ms: number }>(
    `SELECT s.target, s.model, s.probe, s.uid, s.ts, s.latency_ms
     FROM series_states st
     JOIN series se ON se.target = st.target AND se.model = st.model AND se.probe = st.probe
     JOIN samples s ON s.series_id = se.id AND s.ts > st.as_of
     WHERE s.status = 'ok' AND s.latency_ms IS NOT NULL
     ORDER BY s.target, s.model, s.probe, s.ts, s.id`,
  );
  for (const r of since.rows) states.get(JSON.stringify([r.target, r.model, r.probe]))?.samplesSince.push({ uid: r.uid, ts: r.ts.toISOString(), latencyMs: r.latency_ms });
  return [...states.values()];
}
