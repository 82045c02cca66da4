// The collector's alert layer end to end without the network: samples → SeriesAlerts →
// `alerts` rows written by the real writer into a migrated Postgres, and the metrics.
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createCollectorMetrics } from '../../src/metrics/collectorMetrics.js';
import { SeriesAlerts, seriesAlertPolicy } from '../../src/pipeline/seriesAlerts.js';
import type { RecordedSample, StoreItem } from '../../src/store/rows.js';
import { writeItems } from '../../src/store/writeQueries.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { sampleRow } from '../helpers/rows.js';

vi.setConfig({ testTimeout: 60_000 });

const KEY = { target: 't', model: 'm', probe: 'p' };
const POLICY = { intervalSeconds: 15 };

/** Deterministic in-control latencies around 1 700 ms (CV ~8 %), then a factor. */
function probes(count: number, factor: (i: number) => number, start = Date.UTC(2026, 10, 30, 12)): RecordedSample[] {
  let state = 12345;
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31;
  return Array.from({ length: count }, (_, i) => {
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return sampleRow({ ...KEY, ts: new Date(start + i * 15_000).toISOString(), latencyMs: 1700 * factor(i) * Math.exp(0.08 * normal) });
  });
}

function run(alerts: SeriesAlerts, samples: RecordedSample[]) {
  const items: StoreItem[] = [];
  const raised: string[] = [];
  let active = { critical: 0, warning: 0 };
  for (const sample of samples) {
    const o = alerts.observe(sample);
    items.push(...o.items);
    raised.push(...o.raised.map((r) => `${r.severity}/${r.detector}`));
    if (o.active) active = o.active;
  }
  return { items, raised, active };
}

describe('series alerts', () => {
  const db = useMigratedDatabase();

  it('a ×2 step raises one critical CUSUM alert that is stored and stays open', async () => {
    const samples = probes(300, (i) => (i >= 200 ? 2 : 1));
    const { items, raised, active } = run(new SeriesAlerts(KEY, POLICY), samples);
    // The step's first points are beyond the winsorising bound before the episode opens: info.
    expect(raised.filter((r) => !r.startsWith('info/'))).toEqual(['critical/CUSUM']);
    expect(active).toEqual({ critical: 1, warning: 0 });
    const client = await db.check.connect();
    try {
      await writeItems(client, [...samples.map((row) => ({ kind: 'sample' as const, row })), ...items]);
      await writeItems(client, items); // a replayed batch changes nothing
    } finally {
      client.release();
    }
    const { rows } = await db.check.query(
      'SELECT detector, severity, direction, effect, started_at, ended_at, probes FROM alerts WHERE target = $1 AND severity <> $2',
      ['t', 'info'],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ detector: 'CUSUM', severity: 'critical', direction: 'up', ended_at: null });
    expect(rows[0].effect).toBeGreaterThan(0.6);
    expect(rows[0].probes).toBeGreaterThan(90);
    expect(new Date(rows[0].started_at).getTime()).toBeGreaterThan(new Date(samples[200]!.ts).getTime());
  });

  it('a run of timeouts is an availability alert with its start at the first failure, ended by the next ok probe', async () => {
    const samples = probes(130, () => 1, Date.UTC(2026, 10, 29, 12));
    for (let i = 110; i < 115; i++) samples[i] = { ...samples[i]!, target: 'avail', status: 'timeout' };
    for (const s of samples) s.target = 'avail';
    const { items, raised, active } = run(new SeriesAlerts({ ...KEY, target: 'avail' }, POLICY), samples);
    expect(raised).toEqual(['critical/availability']);
    expect(active).toEqual({ critical: 0, warning: 0 });
    const client = await db.check.connect();
    try {
      await writeItems(client, [...samples.map((row) => ({ kind: 'sample' as const, row })), ...items]);
    } finally {
      client.release();
    }
    const { rows } = await db.check.query("SELECT detector, severity, started_at, ended_at FROM alerts WHERE target = 'avail'");
    expect(rows).toEqual([
      { detector: 'availability', severity: 'critical', started_at: new Date(samples[110]!.ts), ended_at: new Date(samples[115]!.ts) },
    ]);
  });

  it('suspect samples are neither latency nor failure', () => {
    const alerts = new SeriesAlerts(KEY, POLICY);
    const samples = probes(120, () => 1).map((s, i) => (i >= 105 && i < 115 ? { ...s, status: 'suspect' as const, latencyMs: 60_000 } : s));
    expect(run(alerts, samples).raised).toEqual([]);
  });

  it('a restored state carries an open episode on (same uid), and a different policy starts afresh', () => {
    const samples = probes(260, (i) => (i >= 200 ? 2 : 1));
    const first = new SeriesAlerts(KEY, POLICY);
    run(first, samples.slice(0, 230));
    const state = JSON.parse(JSON.stringify(first.snapshot()));
    const resumed = new SeriesAlerts(KEY, POLICY);
    expect(resumed.restore(state)).toBe(true);
    expect(resumed.active).toEqual({ critical: 1, warning: 0 });
    const { items, raised } = run(resumed, samples.slice(230));
    expect(raised).toEqual([]);
    const openUid = (first.snapshot().open['CUSUM/up'] ?? { uid: '?' }).uid;
    expect(items.every((i) => i.kind === 'alert-update' && i.row.uid === openUid)).toBe(true);
    expect(new SeriesAlerts(KEY, { ...POLICY, minEffect: 0.5 }).restore(state)).toBe(false);
    // jsonb does not keep key order: a policy read back with its keys reversed still matches.
    const reordered = {
      ...state,
      monitor: { ...state.monitor, policy: Object.fromEntries(Object.entries(state.monitor.policy).reverse()) },
    };
    expect(new SeriesAlerts(KEY, POLICY).restore(reordered)).toBe(true);
  });

  it('a re-baseline ends the open episodes', () => {
    const alerts = new SeriesAlerts(KEY, POLICY);
    run(
      alerts,
      probes(230, (i) => (i >= 200 ? 2 : 1)),
    );
    const items = alerts.reset('2026-11-30T13:00:00.000Z');
    expect(items).toEqual([
      expect.objectContaining({ kind: 'alert-update', row: expect.objectContaining({ endedAt: '2026-11-30T13:00:00.000Z' }) }),
    ]);
    expect(alerts.active).toEqual({ critical: 0, warning: 0 });
  });
});

describe('alert configuration', () => {
  const base = { collector: 'c', targets: [{ url: 'http://127.0.0.1:11434' }] };

  it('defaults to 1 critical a week, 1 warning a day, +20 %; a target and a probe may override', () => {
    const config = configSchema.parse({
      ...base,
      targets: [{ url: 'http://127.0.0.1:11434', alerts: { minEffect: 0.3 } }],
      probes: [{ name: 'p', prompt: 'x', alerts: { sloMs: 4000 } }],
      interval: '30s',
    });
    expect(config.alerts).toEqual({ criticalPerWeek: 1, warningPerDay: 1, minEffect: 0.2, baselineSize: 100 });
    expect(seriesAlertPolicy(config, config.targets[0]!, config.probes[0]!)).toEqual({
      intervalSeconds: 30,
      criticalPerWeek: 1,
      warningPerDay: 1,
      minEffect: 0.3,
      sloMs: 4000,
      baselineSize: 100,
    });
  });

  it('refuses a budget that is not a positive number, naming the field', () => {
    const result = configSchema.safeParse({ ...base, alerts: { criticalPerWeek: 0 } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['alerts', 'criticalPerWeek']);
    expect(configSchema.safeParse({ ...base, alerts: { minEffects: 0.2 } }).success).toBe(false);
  });
});

describe('alert metrics', () => {
  it('start at 0 for every series and count raised alerts and open episodes', async () => {
    const registry = new Registry();
    const observer = createCollectorMetrics(registry);
    observer.seriesKnown(KEY);
    let text = await registry.metrics();
    expect(text).toContain('llmscope_alerts_total{target="t",model="m",probe="p",severity="critical",detector="CUSUM"} 0');
    expect(text).toContain('llmscope_alert_active{target="t",model="m",probe="p",severity="critical"} 0');
    observer.alertRaised(KEY, 'critical', 'CUSUM');
    observer.activeAlertsChanged(KEY, { critical: 1, warning: 0 });
    text = await registry.metrics();
    expect(text).toContain('llmscope_alerts_total{target="t",model="m",probe="p",severity="critical",detector="CUSUM"} 1');
    expect(text).toContain('llmscope_alert_active{target="t",model="m",probe="p",severity="critical"} 1');
  });
});
