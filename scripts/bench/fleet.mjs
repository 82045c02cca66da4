// 7. Beyond one machine. Two real collectors (own processes, different `collector` names),
// each owning its own target (its own simulated Ollama with several models, incidents that
// raise violations), start together against one fresh Postgres (so their migrations race
// under node-pg-migrate's advisory lock) and are scraped by one real Prometheus. Afterwards:
// every sample and violation belongs to its own collector's target, no violation is stored
// twice, no collector logged an error, Prometheus sees both instances with their own series,
// and the dashboard's `target` variable query (read from provisioning/) lists both.
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startChild } from './support/children.mjs';
import { withBenchDatabase } from './support/database.mjs';
import { startPrometheus } from './support/prometheus.mjs';
import { goal, num, progress, sleep } from './support/stats.mjs';

export const name = 'two collectors, one Postgres, one Prometheus';

const DASHBOARD = new URL('../../provisioning/dashboards/llmscope.json', import.meta.url);
const MODELS = ['llama3.2:1b', 'qwen2.5:0.5b', 'phi3:mini', 'gemma2:2b'];
const FLEET = [
  { collector: 'collector-east', target: 'gpu-east' },
  { collector: 'collector-west', target: 'gpu-west' },
];

async function targetVariableSql() {
  const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8'));
  const variable = dashboard.templating.list.find((v) => v.name === 'target');
  if (!variable) throw new Error('the dashboard has no `target` variable');
  return variable.query;
}

export async function run({ quick }) {
  const seconds = quick ? 15 : 30;
  return withBenchDatabase('fleet', async ({ url }) => {
    const dir = await mkdtemp(join(tmpdir(), 'llmscope-bench-fleet-'));
    const started = [];
    let prometheus;
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    try {
      const simulators = await Promise.all(
        FLEET.map(() =>
          startChild('simulator.mjs', {
            models: MODELS.map((name, i) => ({ name, medianMs: 20 + 5 * i })),
            // A doubling of latency for 5 requests in every 60: R1 episodes on every model.
            schedule: { incidents: [{ kind: 'spike', from: 50, to: 55, factor: 2, every: 60 }] },
          }),
        ),
      );
      started.push(...simulators);
      const collectors = await Promise.all(
        FLEET.map(({ collector, target }, i) =>
          startChild('collector.mjs', {
            collector,
            targets: [{ name: target, url: simulators[i].ready.url, models: MODELS }],
            interval: '100ms',
            timeout: '10s',
            spc: { baselineSize: 30, minPoints: 10 },
            http: { host: '127.0.0.1', port: 0 },
            database: { url },
            store: { spillFile: join(dir, `${collector}.ndjson`) },
            telemetry: { gpu: false, psInterval: '1s' },
            logLevel: 'warn',
          }),
        ),
      );
      started.push(...collectors);
      prometheus = await startPrometheus(
        FLEET.map(({ collector }, i) => ({ job: collector, targets: [new URL(collectors[i].ready.url).host] })),
      );
      progress(`2 collectors × ${MODELS.length} series at 10 probes/s each for ${seconds} s, Prometheus on ${prometheus.url}`);
      await sleep(seconds * 1000);

      const up = await prometheus.query('up');
      const perInstance = await prometheus.query('sum by (job) (llmscope_probe_requests_total)');
      const targetsSeen = await prometheus.query('count by (job, target) (llmscope_probe_duration_seconds_count)');
      const episodesSeen = await prometheus.query('sum by (job) (llmscope_spc_violations_total)');
      const recorded = await Promise.all(collectors.map((c) => c.request('stop', {}, 60_000)));
      const logs = collectors.map((c) => c.stderr());

      const byCollector = (
        await pool.query(
          `SELECT collector, array_agg(DISTINCT target) AS targets, count(*)::int AS n FROM samples GROUP BY collector ORDER BY collector`,
        )
      ).rows;
      const duplicates = (
        await pool.query(`SELECT count(*)::int AS n FROM (SELECT sample_id, rule FROM violations GROUP BY 1, 2 HAVING count(*) > 1) d`)
      ).rows[0].n;
      const mismatched = (
        await pool.query(
          `SELECT count(*)::int AS n FROM violations v JOIN samples s ON s.id = v.sample_id WHERE v.target <> s.target OR v.model <> s.model`,
        )
      ).rows[0].n;
      const violations = (
        await pool.query(
          `SELECT s.collector, count(*)::int AS n FROM violations v JOIN samples s ON s.id = v.sample_id GROUP BY 1 ORDER BY 1`,
        )
      ).rows;
      const activeBaselines = (await pool.query(`SELECT count(*)::int AS n FROM baselines WHERE active`)).rows[0].n;
      const variable = (await pool.query(await targetVariableSql())).rows.map((r) => Object.values(r)[0]);

      const problems = [];
      for (const [i, { collector, target }] of FLEET.entries()) {
        const row = byCollector.find((r) => r.collector === collector);
        const handed = recorded[i].recorded.ok + recorded[i].recorded.error + recorded[i].recorded.timeout;
        if (!row) problems.push(`${collector} stored no samples`);
        else if (row.targets.length !== 1 || row.targets[0] !== target)
          problems.push(`${collector} stored samples for ${row.targets.join(', ')}`);
        else if (row.n !== handed) problems.push(`${collector}: ${handed} samples handed to the store, ${row.n} stored`);
        if (!violations.some((v) => v.collector === collector && v.n > 0)) problems.push(`${collector} stored no violations`);
        if (!up.some((s) => s.metric.job === collector && s.value[1] === '1')) problems.push(`Prometheus: ${collector} is not up`);
        if (!perInstance.some((s) => s.metric.job === collector && Number(s.value[1]) > 0))
          problems.push(`Prometheus: no probes counted for ${collector}`);
        const own = targetsSeen.filter((s) => s.metric.target === target);
        if (own.length !== 1 || own[0].metric.job !== collector)
          problems.push(`Prometheus: target ${target} is exported by ${own.map((s) => s.metric.job).join(', ') || 'nobody'}`);
        if (!variable.includes(target)) problems.push(`the dashboard's target variable does not list ${target}`);
        if (/"level":(50|60)/.test(logs[i]))
          problems.push(`${collector} logged an error: ${logs[i].split('\n').find((l) => /"level":(50|60)/.test(l))}`);
      }
      if (duplicates > 0) problems.push(`${duplicates} (sample, rule) pairs stored twice`);
      if (mismatched > 0) problems.push(`${mismatched} violations name another series than their sample`);
      if (activeBaselines > FLEET.length * MODELS.length)
        problems.push(`${activeBaselines} active baselines for ${FLEET.length * MODELS.length} series`);
      if (problems.length > 0) progress(`problems: ${problems.join('; ')}`);

      const samples = byCollector.reduce((sum, r) => sum + r.n, 0);
      const episodes = episodesSeen.map((s) => `${s.metric.job} ${num(Number(s.value[1]), 0)}`).join(', ');
      return [
        {
          what: 'fleet: 2 collectors → 1 Postgres + 1 Prometheus',
          figure: `${problems.length} problems`,
          peer: `${byCollector.map((r) => `${r.collector} ${num(r.n, 0)}`).join(', ')} samples`,
          ratio: '',
          goal: goal('no conflicts, no duplicate violations, both visible', problems.length === 0),
          note: `${num(samples, 0)} samples, ${violations.map((v) => `${v.collector} ${v.n}`).join(', ')} violation rows, ${duplicates} duplicates; Prometheus episodes: ${episodes}; dashboard target variable: ${variable.join(', ')}`,
        },
      ];
    } finally {
      await prometheus?.stop();
      await Promise.all(started.map((child) => child.stop()));
      await pool.end();
      await rm(dir, { recursive: true, force: true });
    }
  });
}
