// Set-based fills of the API benchmarks' tables: millions of samples in minutes, not through the
// writer. Each UTC day is filled into a table of its own (no index, no trigger: generate_series
// rows straight into the heap), then attached to `samples` as that day's partition, which builds
// its indexes in one sorted pass each. Violations are opened on the slow samples, and the rollups
// are then rebuilt from the raw rows (the store's `rebuildRollups`, as `llmscope rollup --rebuild`).
import { performance } from 'node:perf_hooks';
import { rebuildRollups } from '../../../collector/dist/store/rollupQueries.js';
import { num, progress } from './stats.mjs';

const DAY_MS = 86_400_000;
const dayName = (t) => new Date(t).toISOString().slice(0, 10).replace(/-/g, '');

/**
 * `series`: [{ target, model, count }] each spread evenly over [from, from + spanMs); one sample in
 * a thousand 1.6× slower, and every sample over 1 100 ms gets an R1 violation. The days of the
 * span must not have partitions yet.
 */
export async function fillSamples(pool, { from, spanMs, series }) {
  const started = performance.now();
  const start = Date.parse(from);
  const end = start + spanMs;
  const ids = [];
  for (const s of series) {
    const { rows } = await pool.query(`SELECT llmscope_series_id($1, $2, 'default', 'ollama') AS id`, [s.target, s.model]);
    ids.push(rows[0].id);
  }
  const total = series.reduce((n, s) => n + s.count, 0);
  let filled = 0;
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) {
    const part = `samples_${dayName(day)}`;
    const exists = (await pool.query('SELECT to_regclass($1) IS NOT NULL AS e', [part])).rows[0].e;
    if (exists) throw new Error(`${part} exists already: fillSamples makes whole days`);
    await pool.query(`CREATE TABLE ${part} (LIKE samples INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    // The partition bound as a CHECK first: ATTACH then skips its validating scan.
    await pool.query(
      `ALTER TABLE ${part} ADD CONSTRAINT ${part}_bound CHECK (ts >= '${new Date(day).toISOString()}' AND ts < '${new Date(day + DAY_MS).toISOString()}')`,
    );
    for (let k = 0; k < series.length; k++) {
      const s = series[k];
      const stepMs = spanMs / s.count;
      const lo = Math.max(0, Math.floor((Math.max(day, start) - start) / stepMs) - 1);
      const hi = Math.min(s.count - 1, Math.ceil((Math.min(day + DAY_MS, end) - start) / stepMs) + 1);
      const { rowCount } = await pool.query(
        `INSERT INTO ${part} (id, uid, ts, collector, target, provider, model, probe, prompt_hash, status, latency_ms,
           total_duration_ms, eval_count, eval_duration_ms, tokens_per_second, cpu_percent, spc_center, spc_sigma, spc_ucl, spc_lcl, series_id)
         SELECT nextval(pg_get_serial_sequence('samples', 'id')), gen_random_uuid(), t, 'bench', $3, 'ollama', $4, 'default', 'c0ffee', 'ok',
                800 * exp(0.08 * sin(i * 12.9898)) * CASE WHEN i % 1000 = 500 THEN 1.6 ELSE 1 END,
                780, 24, 640, 37.5, 35, 800, 64, 1017, 629, $5
         FROM generate_series($6::int, $7::int) AS i, LATERAL (SELECT $1::timestamptz + (i * $2::float8) * interval '1 millisecond' AS t) x
         WHERE t >= $8 AND t < $9`,
        [from, stepMs, s.target, s.model, ids[k], lo, hi, new Date(day), new Date(day + DAY_MS)],
      );
      filled += rowCount;
    }
    await pool.query(
      `ALTER TABLE samples ATTACH PARTITION ${part} FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
    );
    await pool.query(`ALTER TABLE ${part} DROP CONSTRAINT ${part}_bound`);
    progress(`  ${part}: ${num(filled, 0)} of ${num(total, 0)} samples (${num((performance.now() - started) / 1000, 0)} s)`);
  }
  if (filled !== total) throw new Error(`filled ${filled} samples, expected ${total}`);
  for (let k = 0; k < series.length; k++) {
    await pool.query(
      `INSERT INTO violations ("timestamp", model, provider, rule, latency_ms, deviation_sigma, mean, std_dev, ucl, lcl,
         prompt_hash, sample_id, target, probe, severity, last_seen_at)
       SELECT ts, model, provider, 'R1', latency_ms, 4.2, 800, 64, 1017, 629, prompt_hash, id, target, probe, 'critical', ts
       FROM samples WHERE series_id = $1 AND ts >= $2 AND ts < $3 AND latency_ms > 1100`,
      [ids[k], new Date(start), new Date(end)],
    );
  }
  progress(`  violations opened; rebuilding the rollups (${num((performance.now() - started) / 1000, 0)} s)`);
  await rebuildRollups(pool, { from: new Date(start), to: new Date(end) }, (day, n) =>
    progress(`  rollups of ${day.toISOString().slice(0, 10)}: ${num(n, 0)} samples (${num((performance.now() - started) / 1000, 0)} s)`),
  );
  await pool.query('VACUUM ANALYZE samples, violations, sample_rollups_1m, sample_rollups_1h, series');
  return { samples: filled, seconds: (performance.now() - started) / 1000 };
}
