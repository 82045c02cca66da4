// Every SQL query of the dashboard (as Grafana sends it: variables interpolated, macros
// expanded) and of docs/sql.md runs on the real Postgres with the real migrations, against
// the data a real `llmscope demo` run recorded, and returns the columns its reader expects.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../collector/test/helpers/database.js';
import { DEFAULT_SAMPLE_FIELDS, DEFAULT_VIOLATION_FIELDS } from '../../grafana-plugin/src/data/fieldDefaults.js';
import { runDemo } from './helpers/demo.js';
import { grafanaSql, type GrafanaQueryContext } from './helpers/grafana-sql.js';
import { freePort } from './helpers/processes.js';
import { dashboard, dashboardSql } from './helpers/provisioning.js';
import { readRepoText } from './helpers/repo.js';
import { sqlBlocks } from './helpers/sql-docs.js';

// The column names the panel reads by default: the dashboard sets no field options.
const SAMPLE_COLUMNS = Object.values(DEFAULT_SAMPLE_FIELDS);
const VIOLATION_COLUMNS = [...Object.values(DEFAULT_VIOLATION_FIELDS), 'points', 'last_seen_at'];

let db: TestDatabase;
let client: pg.Client;
let demoStarted: Date;
let demoEnded: Date;
let series: { target: string; model: string; probe: string };

const d = dashboard();
const queries = dashboardSql(d);
const docQueries = sqlBlocks(readRepoText('docs/sql.md'));
const panelReadmeQueries = sqlBlocks(readRepoText('grafana-plugin/src/README.md'));

function context(overrides: Partial<GrafanaQueryContext> = {}): GrafanaQueryContext {
  return {
    from: new Date(demoStarted.getTime() - 60_000),
    to: new Date(demoEnded.getTime() + 60_000),
    interval: '1s',
    variables: { ...series },
    ...overrides,
  };
}

async function grafanaQuery(sql: string, ctx = context()) {
  return client.query(grafanaSql(sql, ctx));
}

function columns(result: pg.QueryResult): string[] {
  return result.fields.map((f) => f.name);
}

function queryAt(refId: string, panelType: string): string {
  const q = queries.find((x) => x.refId === refId && x.panelType === panelType);
  if (!q) throw new Error(`dashboard has no ${panelType} query ${refId}`);
  return q.sql;
}

beforeAll(async () => {
  db = await createTestDatabase();
  demoStarted = new Date();
  const demo = await runDemo({ databaseUrl: db.url, port: await freePort(), interval: '50ms', duration: '20s' }, 90_000);
  demoEnded = new Date();
  expect(demo.code, `llmscope demo failed:\n${demo.stdout}\n${demo.stderr}`).toBe(0);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  // The series the dashboard is opened on: the one with a rule-1 violation.
  const r1 = await client.query<{ target: string; model: string; probe: string }>(
    `SELECT target, model, probe FROM violations WHERE rule = 'R1' ORDER BY "timestamp" LIMIT 1`,
  );
  expect(r1.rows, 'the demo recorded no R1 violation').toHaveLength(1);
  series = r1.rows[0] as typeof series;
}, 150_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('dashboard variables', () => {
  it('offer the series of the demo, each narrowed by the one before', async () => {
    const vars = d.templating.list;
    const targets = await grafanaQuery(vars[0]?.query ?? '');
    expect(targets.rows.map((r: Record<string, string>) => Object.values(r)[0])).toContain(series.target);
    const models = await grafanaQuery(vars[1]?.query ?? '');
    expect(models.rows.map((r: Record<string, string>) => Object.values(r)[0])).toContain(series.model);
    const probes = await grafanaQuery(vars[2]?.query ?? '');
    expect(probes.rows.map((r: Record<string, string>) => Object.values(r)[0])).toContain(series.probe);
    const none = await grafanaQuery(vars[1]?.query ?? '', context({ variables: { ...series, target: 'no-such-target' } }));
    expect(none.rows).toHaveLength(0);
  });
});

describe('the SPC panel queries', () => {
  it('samples: the series in time order with the limits in force and the telemetry the drawer shows', async () => {
    const result = await grafanaQuery(queryAt('samples', 'llmscope-spc-panel'));
    expect(columns(result)).toEqual(expect.arrayContaining(SAMPLE_COLUMNS));
    expect(result.rows.length).toBeGreaterThan(100);
    const times = result.rows.map((r: { time: Date }) => r.time.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const limited = result.rows.filter((r: { spc_ucl: number | null }) => r.spc_ucl !== null);
    expect(limited.length).toBeGreaterThan(50);
    for (const r of limited as { spc_lcl: number; spc_center: number; spc_ucl: number; spc_sigma: number }[]) {
      expect(r.spc_lcl).toBeLessThan(r.spc_center);
      expect(r.spc_center).toBeLessThan(r.spc_ucl);
      expect(r.spc_sigma).toBeGreaterThan(0);
    }
  });

  it('violations: every violation of the series, linked to a sample the samples query returned', async () => {
    const samples = await grafanaQuery(queryAt('samples', 'llmscope-spc-panel'));
    const violations = await grafanaQuery(queryAt('violations', 'llmscope-spc-panel'));
    expect(columns(violations)).toEqual(expect.arrayContaining(VIOLATION_COLUMNS));
    const rules = violations.rows.map((r: { rule: string }) => r.rule);
    expect(rules).toContain('R1');
    const sampleIds = new Set(samples.rows.map((r: { id: string }) => String(r.id)));
    for (const v of violations.rows as { sample_id: string; severity: string }[]) {
      expect(sampleIds.has(String(v.sample_id))).toBe(true);
      expect(['critical', 'warning', 'info']).toContain(v.severity);
    }
    const all = await client.query('SELECT count(*)::int AS n FROM violations WHERE target = $1 AND model = $2 AND probe = $3', [series.target, series.model, series.probe]);
    expect(violations.rows).toHaveLength((all.rows[0] as { n: number }).n);
  });

  it('alerts: every alert episode of the series, with the columns the panel reads (grafana-plugin/src/data/alerts.ts)', async () => {
    const alerts = await grafanaQuery(queryAt('alerts', 'llmscope-spc-panel'));
    expect(columns(alerts)).toEqual(expect.arrayContaining(['id', 'detector', 'severity', 'effect', 'started_at', 'ended_at']));
    const all = await client.query('SELECT count(*)::int AS n FROM alerts WHERE target = $1 AND model = $2 AND probe = $3', [series.target, series.model, series.probe]);
    expect(alerts.rows).toHaveLength((all.rows[0] as { n: number }).n);
  });

  it('return nothing for a time range before the demo ($__timeFilter and $__timeTo work)', async () => {
    const before = context({ from: new Date(demoStarted.getTime() - 7_200_000), to: new Date(demoStarted.getTime() - 3_600_000) });
    for (const refId of ['samples', 'violations', 'alerts']) {
      const result = await grafanaQuery(queryAt(refId, 'llmscope-spc-panel'), before);
      expect(result.rows, refId).toHaveLength(0);
    }
  });
});

describe('the other SQL panels', () => {
  it('latency percentiles: one row per $__interval bucket with p50 <= p95 <= p99', async () => {
    const q = queries.find((x) => /percentile_cont/.test(x.sql));
    const result = await grafanaQuery(q?.sql ?? '', context({ interval: '5s' }));
    expect(columns(result)).toEqual(['time', 'p50', 'p95', 'p99']);
    expect(result.rows.length).toBeGreaterThan(1);
    for (const r of result.rows as { time: number; p50: number; p95: number; p99: number }[]) {
      expect(Number(r.time) % 5).toBe(0);
      expect(r.p50).toBeLessThanOrEqual(r.p95);
      expect(r.p95).toBeLessThanOrEqual(r.p99);
    }
  });

  it('recent violations table: newest first, with model, rule and severity', async () => {
    const q = queries.find((x) => x.panelType === 'table');
    const result = await grafanaQuery(q?.sql ?? '');
    expect(columns(result)).toEqual(expect.arrayContaining(['time', 'model', 'probe', 'rule', 'severity', 'acknowledged']));
    expect(result.rows.length).toBeGreaterThan(0);
    const times = result.rows.map((r: { time: Date }) => r.time.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('model events annotation: time, text and tags', async () => {
    const q = queries.find((x) => x.where.startsWith('annotation'));
    const result = await grafanaQuery(q?.sql ?? '');
    expect(columns(result)).toEqual(['time', 'text', 'tags']);
    for (const r of result.rows as { text: string; tags: string }[]) {
      expect(r.text).toContain(series.model);
      expect(r.tags).toMatch(/^model-(load|evict|split_change)$/);
    }
  });

  it('every dashboard SQL query is covered by a test above', () => {
    // 3 variables + samples + violations + alerts + percentiles + table + annotation
    expect(queries).toHaveLength(9);
  });
});

describe('docs/sql.md', () => {
  it('has at least ten queries', () => {
    expect(docQueries.length).toBeGreaterThanOrEqual(10);
  });

  // Whether an episode is still open depends on the instant the demo stopped.
  const mayBeEmpty = new Set(['5. Episodes still open']);

  it.each(docQueries.map((q) => [q.heading, q.sql] as const))('runs: %s', async (heading, sql) => {
    const result = await client.query(sql);
    expect(result.fields.length).toBeGreaterThan(0);
    if (!mayBeEmpty.has(heading)) expect(result.rows.length, 'returns rows on the demo data').toBeGreaterThan(0);
  });

  it('names only headings that exist among the queries allowed to return nothing', () => {
    for (const heading of mayBeEmpty) expect(docQueries.map((q) => q.heading)).toContain(heading);
  });
});

describe("the panel README's sample queries (grafana-plugin/src/README.md)", () => {
  it('are the samples and the violations query', () => {
    expect(panelReadmeQueries.map((q) => q.heading)).toEqual(['Queries', 'Queries']);
  });

  it('samples: every column the panel reads by default, error and cold_start included, with rows', async () => {
    const result = await grafanaQuery(panelReadmeQueries[0]?.sql ?? '');
    expect(columns(result)).toEqual(expect.arrayContaining([...SAMPLE_COLUMNS, 'error', 'cold_start']));
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.some((r: { status: string; error: string | null }) => r.status !== 'ok' && r.error), 'a failed probe carries its error text').toBe(true);
  });

  it('violations: every column the panel reads by default, with rows', async () => {
    const result = await grafanaQuery(panelReadmeQueries[1]?.sql ?? '');
    expect(columns(result)).toEqual(expect.arrayContaining(Object.values(DEFAULT_VIOLATION_FIELDS)));
    expect(result.rows.length).toBeGreaterThan(0);
  });
});
