// A real Prometheus scrapes a running `llmscope demo` and evaluates provisioning/prometheus/rules.yml
// (the very file docker-compose mounts). The rules page on the alert policy (docs/alerting.md):
// they fire on a real incident (the 'slowdown' scenario: one model three times as slow for good) and
// stay quiet on an in-control run of the same length ('calm': faults only), while the chart
// records rule episodes in both. Only the intervals differ from the compose config.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../collector/test/helpers/database.js';
import { startDemo } from './helpers/demo.js';
import { grafanaPromQL } from './helpers/grafana-promql.js';
import { freePort, waitFor, type Background } from './helpers/processes.js';
import { startPrometheus, type RunningPrometheus } from './helpers/prometheus.js';
import { dashboard, dashboardPromQL } from './helpers/provisioning.js';
import { repoPath } from './helpers/repo.js';

interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
}
interface RuleGroup {
  name: string;
  rules: { name: string; type: string; health: string; lastError?: string; labels: Record<string, string> }[];
}

/** Both runs: same cadence, same length. 200 ms keeps the simulated latency (70 ms) well above the jitter of a busy test machine. */
const RUN = { interval: '200ms', duration: '90s' };
/** The demo's alert detector learns each series from its first 60 ok probes (runDemo.ts). */
const DEMO_ALERT_BASELINE = 60;
const SLOWED = 'llama3.2:1b';

interface Run {
  db: TestDatabase;
  demo: Background;
  prometheus: RunningPrometheus;
}

async function startRun(scenario: 'calm' | 'slowdown'): Promise<Run> {
  const db = await createTestDatabase();
  const port = await freePort();
  const demo = startDemo({ databaseUrl: db.url, port, ...RUN, scenario });
  await waitFor(
    'llmscope demo to serve /metrics',
    async () => {
      if (demo.child.exitCode !== null) throw new Error(`llmscope demo exited:\n${demo.output()}`);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      return res.ok && (await res.text()).includes('llmscope_alert_active') ? true : undefined;
    },
    60_000,
  );
  const prometheus = await startPrometheus({ scrapeTarget: `127.0.0.1:${port}`, ruleFile: repoPath('provisioning/prometheus/rules.yml') });
  return { db, demo, prometheus };
}

async function stopRun(run: Run | undefined): Promise<void> {
  await run?.prometheus.stop();
  await run?.demo.stop();
  await run?.db.drop();
}

async function count(db: TestDatabase, sql: string, params: unknown[] = []): Promise<number> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return ((await client.query(sql, params)).rows[0] as { n: number }).n;
  } finally {
    await client.end();
  }
}

describe('Prometheus with the LLMscope rules, scraping llmscope demo --scenario slowdown', () => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun('slowdown');
  }, 120_000);
  afterAll(() => stopRun(run), 60_000);

  it('scrapes the collector, with the alert metrics at 0 for every series from the start', async () => {
    const up = await waitFor(
      'the scrape target to be up',
      async () => {
        const data = await run.prometheus.api<{ activeTargets: { health: string; lastError: string }[] }>('targets');
        return data.activeTargets[0]?.health === 'up' ? data.activeTargets[0] : undefined;
      },
      20_000,
    );
    expect(up.lastError).toBe('');
    const series = await run.prometheus.query('llmscope_spc_violations_total');
    expect(new Set(series.map((s) => s.metric.rule))).toEqual(new Set(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'WE1', 'WE2', 'WE3', 'WE4', 'EWMA', 'CUSUM']));
    const active = await run.prometheus.query('llmscope_alert_active');
    expect(new Set(active.map((s) => s.metric.severity))).toEqual(new Set(['critical', 'warning']));
    const raised = await run.prometheus.query('llmscope_alerts_total');
    expect(new Set(raised.map((s) => `${s.metric.severity}/${s.metric.detector}`))).toEqual(
      new Set(['critical/CUSUM', 'warning/CUSUM', 'info/CUSUM', 'critical/availability', 'info/outlier', 'info/cold-start']),
    );
  });

  it('loads both alert rules from rules.yml, healthy', async () => {
    const data = await waitFor(
      'the rules to be evaluated',
      async () => {
        const d = await run.prometheus.api<{ groups: RuleGroup[] }>('rules');
        const rules = d.groups.flatMap((g) => g.rules);
        return rules.length === 2 && rules.every((r) => r.health === 'ok') ? d : undefined;
      },
      20_000,
    );
    expect(data.groups.map((g) => g.name)).toEqual(['llmscope-alerts']);
    expect((data.groups[0]?.rules ?? []).map((r) => [r.name, r.type, r.labels.severity])).toEqual([
      ['LLMscopeCritical', 'alerting', 'critical'],
      ['LLMscopeWarning', 'alerting', 'warning'],
    ]);
  });

  it('fires the critical alert for the model that slowed down, from a stored alert episode', async () => {
    const firing = await waitFor(
      'LLMscopeCritical to fire',
      async () => {
        if (run.demo.child.exitCode !== null) throw new Error(`llmscope demo exited early:\n${run.demo.output()}`);
        const { alerts } = await run.prometheus.api<{ alerts: Alert[] }>('alerts');
        return alerts.find((a) => a.labels.alertname === 'LLMscopeCritical' && a.state === 'firing');
      },
      100_000, // the demo's whole run: a loaded machine marks many probes suspect, slowing Phase I
      500,
    );
    expect(firing.labels).toMatchObject({ severity: 'critical', model: SLOWED });
    expect(firing.annotations.summary).toBe(`LLMscope: ${SLOWED} is much slower or failing (critical alert)`);
    const counter = await run.prometheus.query(`sum(llmscope_alerts_total{severity="critical", model="${SLOWED}"})`);
    expect(Number(counter[0]?.value[1])).toBeGreaterThan(0);
    expect(await count(run.db, `SELECT count(*)::int AS n FROM alerts WHERE severity = 'critical' AND detector = 'CUSUM' AND direction = 'up' AND model = $1`, [SLOWED])).toBe(1);
  }, 120_000);

  it('pages nothing for the model that did not change', async () => {
    const { alerts } = await run.prometheus.api<{ alerts: Alert[] }>('alerts');
    expect(alerts.filter((a) => a.labels.model !== SLOWED)).toEqual([]);
  });

  it('answers every Prometheus query of the dashboard for the demo series', async () => {
    const [seen] = await run.prometheus.query('llmscope_probe_requests_total{status="ok"} > 0');
    expect(seen, 'no ok probe scraped yet').toBeDefined();
    const variables = { target: seen?.metric.target ?? '', model: seen?.metric.model ?? '', probe: seen?.metric.probe ?? '' };
    // With a 1 s scrape Grafana's $__rate_interval would be at least 4 s; 10 s spans enough samples.
    const ctx = { variables, rateInterval: '10s', interval: '1s', range: '5m' };
    for (const { where, expr } of dashboardPromQL(dashboard())) {
      const result = await run.prometheus.query(grafanaPromQL(expr, ctx));
      // This machine has no GPU: the collector reports none, so only the GPU panels may be empty.
      if (!/llmscope_gpu_/.test(expr)) expect(result.length, `${where}: ${expr}`).toBeGreaterThan(0);
    }
  });
});

describe('the same rules on an in-control run of the same length (llmscope demo --scenario calm)', () => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun('calm');
  }, 120_000);
  afterAll(() => stopRun(run), 60_000);

  it('stays quiet the whole run, while the chart records rule episodes', async () => {
    // Wait for the demo to end by itself (--duration), then ask for every alert Prometheus ever evaluated.
    await waitFor('the calm demo to finish', async () => (run.demo.child.exitCode !== null ? true : undefined), 130_000, 1000);
    expect(run.demo.child.exitCode, run.demo.output()).toBe(0);
    const fired = await run.prometheus.query('count_over_time(ALERTS{alertname=~"LLMscope.*"}[10m])');
    expect(fired).toEqual([]);
    const raised = await run.prometheus.query('max_over_time(llmscope_alerts_total{severity=~"critical|warning"}[10m]) > 0');
    expect(raised).toEqual([]);
    // Each series' alert detector finished its Phase I and then judged probes (the slowdown run
    // pages within a few dozen), and the chart did flag points.
    const ok = await run.prometheus.query('max_over_time(llmscope_probe_requests_total{status="ok"}[10m])');
    expect(ok).toHaveLength(2);
    for (const s of ok) expect(Number(s.value[1])).toBeGreaterThan(DEMO_ALERT_BASELINE + 40);
    expect(await count(run.db, "SELECT count(*)::int AS n FROM violations")).toBeGreaterThan(0);
    expect(await count(run.db, "SELECT count(*)::int AS n FROM alerts WHERE severity <> 'info'")).toBe(0);
  }, 160_000);
});
