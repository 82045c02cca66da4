// 6. One collector at scale. A real collector (its own process, started by the same
// composition root as `llmscope start`) probes N series (one simulated Ollama, in another
// process, serving N model names) once a second each, writing to a fresh database.
// Jitter: each sample's ts is taken when its probe starts; per series, the lateness of a
// probe is (ts − first ts − k·interval) less that series' smallest such value, so a constant
// offset does not count. CPU % and RSS are read from /proc for the collector's process.
// Lost: samples the pipeline handed to the store minus the rows in the database after stop
// and minus those the writer kept in its spill file (written on the next start, by design).
// Peer: N bare fixed-cadence timers in a third process over the same minutes (the jitter
// this machine gives any Node timer at that rate). Both leave out each series' first
// WARMUP_PROBES firings. /metrics is scraped every SCRAPE_EVERY_S during the run, as the
// provisioned Prometheus does: the scrape's memory and loop time are part of the figures.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cpuSeconds, memory, startChild } from './support/children.mjs';
import { withBenchDatabase } from './support/database.mjs';
import { goal, num, progress, quantile, sleep, times } from './support/stats.mjs';

export const name = 'one collector at scale';

const INTERVAL_MS = 1000;
/** Probes at the start of each series left out of the jitter (process start-up, JIT warm-up). */
const WARMUP_PROBES = 5;
const MB = 2 ** 20;
/** provisioning/prometheus/prometheus.yml's scrape_interval. */
const SCRAPE_EVERY_S = 15;

/**
 * LLMSCOPE_BENCH_NODE_FLAGS: Node flags for the collector child, space-separated, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" or "--heap-prof --heap-prof-dir=/tmp/heap" (profiles
 * are written when it stops; open them in Chrome DevTools). How docs/performance.md's causes
 * were found.
 */
function collectorNodeFlags() {
  return process.env.LLMSCOPE_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
}

/** Samples in the spill file a stopped collector left for its next start. */
async function spilledSamples(path) {
  const text = await readFile(path, 'utf8').catch((error) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
  return text
    .split('\n')
    .filter(Boolean)
    .reduce((sum, line) => sum + JSON.parse(line).filter((item) => item.kind === 'sample').length, 0);
}

/** Lateness of every probe in ms, from the samples' own timestamps (see above). */
async function probeLateness(pool) {
  const { rows } = await pool.query(`SELECT model, (extract(epoch FROM ts) * 1000)::float8 AS t FROM samples ORDER BY model, ts`);
  const bySeries = new Map();
  for (const row of rows) {
    const list = bySeries.get(row.model) ?? [];
    list.push(row.t);
    bySeries.set(row.model, list);
  }
  const lateness = [];
  for (const times of bySeries.values()) {
    const offsets = times.map((t) => {
      const k = Math.round((t - times[0]) / INTERVAL_MS);
      return t - times[0] - k * INTERVAL_MS;
    });
    const steady = offsets.slice(WARMUP_PROBES);
    const best = Math.min(...steady);
    for (const offset of steady) lateness.push(offset - best);
  }
  return lateness;
}

/**
 * Where the slots of the window [fromMs, toMs) (wall clock) went, per series, from the stored
 * samples' own start times: `ran` probes started in it; `beforeFirst` slots passed before a
 * series' first probe in it (start-up: a series whose first slot came later); `skipped` slots
 * inside a series' run of probes (a gap over 1.5 intervals: a probe overran its slot or the
 * loop was late); `afterLast` slots after its last probe (stop). Each series' slots sum to
 * about (toMs − fromMs) / interval.
 */
async function slotAttribution(pool, series, fromMs, toMs) {
  const { rows } = await pool.query(
    `SELECT model, array_agg((extract(epoch FROM ts) * 1000)::float8 ORDER BY ts) AS t FROM samples
     WHERE ts >= to_timestamp($1 / 1000.0) AND ts < to_timestamp($2 / 1000.0) GROUP BY model`,
    [fromMs, toMs],
  );
  const split = { ran: 0, beforeFirst: 0, skipped: 0, afterLast: 0, seriesSkipping: 0, worstGapMs: 0 };
  for (const { t } of rows) {
    split.ran += t.length;
    split.beforeFirst += Math.floor((t[0] - fromMs) / INTERVAL_MS);
    split.afterLast += Math.floor((toMs - t.at(-1)) / INTERVAL_MS);
    let skipped = 0;
    for (let i = 1; i < t.length; i++) {
      const gap = t[i] - t[i - 1];
      if (gap > 1.5 * INTERVAL_MS) skipped += Math.round(gap / INTERVAL_MS) - 1;
      split.worstGapMs = Math.max(split.worstGapMs, gap);
    }
    split.skipped += skipped;
    if (skipped > 0) split.seriesSkipping++;
  }
  // A series with no probe in the window at all: every slot of it came before its first.
  split.beforeFirst += (series - rows.length) * Math.floor((toMs - fromMs) / INTERVAL_MS);
  return split;
}

export async function run({ quick }) {
  // LLMSCOPE_BENCH_SCALE=SERIESxSECONDS (e.g. 1000x20) overrides the size, for profiling runs.
  const [series, seconds] = process.env.LLMSCOPE_BENCH_SCALE?.split('x').map(Number) ?? (quick ? [100, 20] : [1000, 120]);
  return withBenchDatabase('scale', async ({ url }) => {
    const spillDir = await mkdtemp(join(tmpdir(), 'llmscope-bench-scale-'));
    const simulator = await startChild('simulator.mjs', {
      models: [],
      acceptAnyModel: true,
      defaultModel: { medianMs: 30, cv: 0.08, loadMs: 60 },
    });
    let collector;
    let timers;
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    try {
      const models = Array.from({ length: series }, (_, i) => `bench-model-${String(i).padStart(4, '0')}`);
      collector = await startChild(
        'collector.mjs',
        {
          collector: 'bench-scale',
          targets: [{ name: 'simulated', url: simulator.ready.url, models }],
          interval: `${INTERVAL_MS}ms`,
          timeout: '10s',
          http: { host: '127.0.0.1', port: 0 },
          database: { url },
          store: { spillFile: join(spillDir, 'spill.ndjson') },
          telemetry: { gpu: false },
          // LLMSCOPE_BENCH_HISTOGRAMS=off: the same run without the per-series latency histograms.
          metrics: { histograms: process.env.LLMSCOPE_BENCH_HISTOGRAMS !== 'off' },
          logLevel: 'warn',
        },
        { execArgv: collectorNodeFlags() },
      );
      // The collector probes from here until it is told to stop: the span its probes are counted over.
      const collectorStarted = performance.now();
      const windowFromMs = Date.now();
      timers = await startChild('timers.mjs', { series, intervalMs: INTERVAL_MS, warmup: WARMUP_PROBES });
      progress(`${collector.ready.series} series at 1 probe/s for ${seconds} s (collector pid ${collector.pid})`);
      const cpuStart = cpuSeconds(collector.pid);
      const wallStart = performance.now();
      let peakRss = 0;
      let peakAtS = 0;
      const scrapes = [];
      const timedScrape = async () => {
        const started = performance.now();
        await (await fetch(`${collector.ready.url}/metrics`)).text();
        return performance.now() - started;
      };
      for (let s = 1; s <= seconds; s++) {
        await sleep(1000);
        const { rss } = memory(collector.pid);
        if (rss > peakRss) [peakRss, peakAtS] = [rss, s];
        if (s % SCRAPE_EVERY_S === 0) scrapes.push(timedScrape());
      }
      const scrapeTimes = await Promise.all(scrapes);
      const cpuPercent = (100 * (cpuSeconds(collector.pid) - cpuStart)) / ((performance.now() - wallStart) / 1000);
      const floor = (await timers.request('lateness')).lateness;
      // Prometheus cardinality, the sizing figure for docs/scaling.md: series on one scrape.
      const exposition = await (await fetch(`${collector.ready.url}/metrics`)).text();
      const metricSeries = exposition.split('\n').filter((line) => line.startsWith('llmscope_')).length;
      // Where the RSS goes, from the collector's own process metrics on the same scrape.
      const gauge = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(exposition)?.[1] ?? Number.NaN);
      const heapUsed = gauge('llmscope_nodejs_heap_size_used_bytes');
      const heapTotal = gauge('llmscope_nodejs_heap_size_total_bytes');
      const external = gauge('llmscope_nodejs_external_memory_bytes');
      const ranSeconds = (performance.now() - collectorStarted) / 1000;
      const windowToMs = Date.now();
      const { recorded } = await collector.request('stop', {}, 60_000);
      const stored = (await pool.query(`SELECT status, count(*)::int AS n FROM samples GROUP BY status`)).rows;
      const storedTotal = stored.reduce((sum, r) => sum + r.n, 0);
      const spilled = await spilledSamples(join(spillDir, 'spill.ndjson'));
      const stateBytes = (await pool.query(`SELECT coalesce(avg(octet_length(state::text)), 0)::float8 AS b FROM series_states`)).rows[0].b;
      const recordedTotal = recorded.ok + recorded.error + recorded.timeout + recorded.suspect;
      const lost = recordedTotal - storedTotal - spilled;
      const failed = recorded.error + recorded.timeout;
      const lateness = await probeLateness(pool);
      const jitter = quantile(lateness, 0.99);
      const floorJitter = quantile(floor, 0.99);
      const expected = Math.round(series * ((ranSeconds * 1000) / INTERVAL_MS));
      // The same window, counted per series from the stored probes: start-up, in-series skips, stop.
      const slots = await slotAttribution(pool, series, windowFromMs, windowToMs);
      const slotsTotal = slots.ran + slots.beforeFirst + slots.skipped + slots.afterLast;
      return [
        {
          what: `scale: ${num(series, 0)} series × 1/s, scheduling jitter p99`,
          figure: `${num(jitter, 1)} ms`,
          peer: `${num(floorJitter, 1)} ms bare timers`,
          ratio: times(jitter / floorJitter),
          goal: goal('< 50 ms', jitter < 50),
          note: `p50 ${num(quantile(lateness, 0.5), 1)} ms over ${num(lateness.length, 0)} stored probes`,
        },
        {
          what: 'scale: probes completed',
          figure: `${num(recordedTotal / ranSeconds, 0)} probes/s`,
          peer: `${num(series, 0)} probes/s scheduled`,
          ratio: times(recordedTotal / expected, 2),
          goal: '',
          note: `${num(recordedTotal, 0)} probes handed to the store from start to stop vs ${num(expected, 0)} slots from ready to scrape (${num(ranSeconds, 0)} s)`,
        },
        {
          what: 'scale: slots from ready to scrape, per series',
          figure: `${num(slots.skipped, 0)} skipped`,
          peer: `${num(slotsTotal, 0)} slots`,
          ratio: times(slots.ran / slotsTotal, 3),
          goal: '',
          note: `${num(slots.ran, 0)} ran; ${num(slots.skipped, 0)} skipped between a series' first and last probe in the window (${num(slots.seriesSkipping, 0)} series skipped any; longest gap ${num(slots.worstGapMs / 1000, 1)} s), ${num(slots.beforeFirst, 0)} before a series' first probe (start-up), ${num(slots.afterLast, 0)} after its last (stop)`,
        },
        {
          what: `scale: collector RSS (peak sampled each second, /metrics scraped every ${SCRAPE_EVERY_S} s)`,
          figure: `${num(peakRss / MB, 0)} MB`,
          peer: '',
          ratio: '',
          goal: goal('< 200 MB', peakRss < 200 * MB),
          note: `peak at ${peakAtS} s; at the last scrape: JS heap ${num(heapUsed / MB, 0)} MB used of ${num(heapTotal / MB, 0)} MB, external ${num(external / MB, 0)} MB; CPU ${num(cpuPercent, 0)}% of one core over the run; /metrics holds ${num(metricSeries, 0)} llmscope_ series (${num(metricSeries / series, 0)} per LLMscope series); ${scrapeTimes.length} scrapes took ${num(quantile(scrapeTimes, 0.5), 0)} ms (median), ${num(Math.max(...scrapeTimes), 0)} ms at most`,
        },
        {
          what: 'scale: samples lost (handed to the store − rows stored)',
          figure: num(lost, 0),
          peer: '',
          ratio: '',
          goal: goal('0', lost === 0),
          note: `${num(recordedTotal, 0)} handed to the store: ${num(storedTotal, 0)} in Postgres (${num(failed, 0)} error/timeout, ${num(recorded.suspect, 0)} suspect: the loop lagged > 50 ms during the probe), ${num(spilled, 0)} left in the spill file at stop (writer backlog); SPC state ${num(stateBytes, 0)} bytes per series per write`,
        },
      ];
    } finally {
      await timers?.stop();
      await collector?.stop();
      await simulator.stop();
      await pool.end();
      await rm(spillDir, { recursive: true, force: true });
    }
  });
}
