// Reading back what a previous run left: each series' SPC state, and the samples stored after
// it (the state is written every few samples, not with each one; see the pipeline).
import type pg from 'pg';
import type { SampleStatus } from '@llmscope/contract';
import { seriesKeyString, type SeriesKey } from './rows.js';

/** A sample stored after the saved state: the chart replays the ok ones, the alert detector all. */
export interface SampleSince {
  uid: string;
  ts: string;
  status: SampleStatus;
  /** Null for a failed probe. */
  latencyMs: number | null;
  coldStart: boolean | null;
}

export interface StoredSeriesState extends SeriesKey {
  state: unknown;
  asOf: Date;
  /** Samples of this series stored after `asOf`, oldest first, whatever their status. */
  samplesSince: SampleSince[];
}

export async function loadSeriesStates(pool: pg.Pool): Promise<StoredSeriesState[]> {
  const { rows } = await pool.query<{ target: string; model: string; probe: string; state: unknown; as_of: Date }>(
    'SELECT target, model, probe, state, as_of FROM series_states',
  );
  const states = new Map(
    rows.map((r) => [
      seriesKeyString(r),
      {
        target: r.target,
        model: r.model,
        probe: r.probe,
        state: r.state,
        asOf: r.as_of,
        samplesSince: [] as StoredSeriesState['samplesSince'],
      },
    ]),
  );
  // A sample's ts is its probe's start, and a state is stamped after its sample was taken in,
  // so the samples the state has not seen are exactly those with ts > as_of.
  const since = await pool.query<{
    target: string;
    model: string;
    probe: string;
    uid: string;
    ts: Date;
    status: SampleStatus;
    latency_ms: number | null;
    cold_start: boolean | null;
  }>(
    `SELECT s.target, s.model, s.probe, s.uid, s.ts, s.status, s.latency_ms, s.cold_start
     FROM series_states st
     JOIN series se ON se.target = st.target AND se.model = st.model AND se.probe = st.probe
     JOIN samples s ON s.series_id = se.id AND s.ts > st.as_of
     ORDER BY s.target, s.model, s.probe, s.ts, s.id`,
  );
  for (const r of since.rows)
    states
      .get(seriesKeyString(r))
      ?.samplesSince.push({ uid: r.uid, ts: r.ts.toISOString(), status: r.status, latencyMs: r.latency_ms, coldStart: r.cold_start });
  return [...states.values()];
}
