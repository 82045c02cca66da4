// A real Prometheus scrapes a running `llmscope demo`, loads provisioning/prometheus/rules.yml
// (the very file docker-compose mounts) and fires the critical alert once the demo has
// recorded an R1 episode. Only the intervals differ from the compose config (1 s here).
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

let db: TestDatabase;
let demo: Background;
let demoPort: number;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  db = await createTestDatabase();
  demoPort = await freePort();
  demo = startDemo({ databaseUrl: db.url, port: demoPort, interval: '50ms', duration: '90s' });
  await waitFor(
    'llmscope demo to serve /metrics',
    async () => {
      if (demo.child.exitCode !== null) throw new Error(`llmscope demo exited:\n${demo.output()}`);
      const res = await fetch(`http://127.0.0.1:${demoPort}/metrics`);
      return res.ok && (await res.text()).includes('llmscope_spc_violations_total') ? true : undefined;
    },
    60_000,
  );
  prometheus = await startPrometheus({
    scrapeTarget: `127.0.0.1:${demoPort}`,
    ruleFile: repoPath('provisioning/prometheus/rules.yml'),
  });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await demo?.stop();
  await db?.drop();
});

describe('Prometheus with the LLMscope rules, scraping llmscope demo', () => {
  it('scrapes the collector', async () => {
    const up = await waitFor(
      'the scrape target to be up',
      async () => {
        const data = await prometheus.api<{ activeTargets: { health: string; lastError: string }[] }>('targets');
        return data.activeTargets[0]?.health === 'up' ? data.activeTargets[0] : undefined;
      },
      20_000,
    );
    expect(up.lastError).toBe('');
    const series = await prometheus.query('llmscope_spc_violations_total');
    // Initialised to 0 for every known series × rule: 14 rules per series.
    expect(series.length).toBeGreaterThanOrEqual(14);
    expect(new Set(series.map((s) => s.metric.rule))).toEqual(new Set(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'WE1', 'WE2', 'WE3', 'WE4', 'EWMA', 'CUSUM']));
  });

  it('loads both alert rules from rules.yml, healthy', async () => {
    const data = await waitFor(
      'the rules to be evaluated',
      async () => {
        const d = await prometheus.api<{ groups: RuleGroup[] }>('rules');
        const rules = d.groups.flatMap((g) => g.rules);
        return rules.length === 2 && rules.every((r) => r.health === 'ok') ? d : undefined;
      },
      20_000,
    );
    expect(data.groups.map((g) => g.name)).toEqual(['llmscope-spc']);
    const rules = data.groups[0]?.rules ?? [];
    expect(rules.map((r) => [r.name, r.type, r.labels.severity])).toEqual([
      ['LLMscopeRule1Violation', 'alerting', 'critical'],
      ['LLMscopeRunRuleViolation', 'alerting', 'warning'],
    ]);
  });

  it('fires the critical alert, naming model and rule, once the demo records an R1 episode', async () => {
    const firing = await waitFor(
      'LLMscopeRule1Violation to fire',
      async () => {
        if (demo.child.exitCode !== null) throw new Error(`llmscope demo exited early:\n${demo.output()}`);
        const { alerts } = await prometheus.api<{ alerts: Alert[] }>('alerts');
        return alerts.find((a) => a.labels.alertname === 'LLMscopeRule1Violation' && a.state === 'firing');
      },
      80_000,
      500,
    );
    expect(firing.labels).toMatchObject({ severity: 'critical', rule: 'R1' });
    expect(firing.annotations.summary).toBe(`LLMscope: ${firing.labels.model} broke R1 (point beyond 3 sigma)`);

    // It fired because of a real episode: the counter moved and the database holds the R1 row.
    const counter = await prometheus.query(
      `llmscope_spc_violations_total{rule="R1", model="${firing.labels.model}", probe="${firing.labels.probe}"}`,
    );
    expect(Number(counter[0]?.value[1])).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query(`SELECT count(*)::int AS n FROM violations WHERE rule = 'R1' AND model = $1 AND probe = $2`, [
        firing.labels.model,
        firing.labels.probe,
      ]);
      expect((rows.rows[0] as { n: number }).n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  }, 120_000); // the waitFor above allows 80 s for the alert on a loaded machine

  it('fires no critical alert for a series without an R1 episode', async () => {
    const { alerts } = await prometheus.api<{ alerts: Alert[] }>('alerts');
    const r1 = await prometheus.query('llmscope_spc_violations_total{rule="R1"} > 0');
    const withEpisodes = new Set(r1.map((s) => `${s.metric.target}|${s.metric.model}|${s.metric.probe}`));
    for (const a of alerts.filter((x) => x.labels.alertname === 'LLMscopeRule1Violation')) {
      expect(withEpisodes.has(`${a.labels.target}|${a.labels.model}|${a.labels.probe}`)).toBe(true);
    }
  });

  it('answers every Prometheus query of the dashboard for the demo series', async () => {
    const [seen] = await prometheus.query('llmscope_probe_requests_total{status="ok"} > 0');
    expect(seen, 'no ok probe scraped yet').toBeDefined();
    const variables = { target: seen?.metric.target ?? '', model: seen?.metric.model ?? '', probe: seen?.metric.probe ?? '' };
    // With a 1 s scrape Grafana's $__rate_interval would be at least 4 s; 10 s spans enough samples.
    const ctx = { variables, rateInterval: '10s', interval: '1s', range: '5m' };
    for (const { where, expr } of dashboardPromQL(dashboard())) {
      const result = await prometheus.query(grafanaPromQL(expr, ctx));
      // This machine has no GPU: the collector reports none, so only the GPU panels may be empty.
      if (!/llmscope_gpu_/.test(expr)) expect(result.length, `${where}: ${expr}`).toBeGreaterThan(0);
    }
  });
});
