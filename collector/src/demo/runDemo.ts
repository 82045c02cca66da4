// `llmscope demo`: a simulated Ollama with scheduled incidents and faults, the real
// collector probing it, a progress line every few seconds, and a summary from the database.
import type { RuleId, Severity } from '@llmscope/spc';
import type pg from 'pg';
import type { Logger } from 'pino';
import { formatDuration } from '../config/duration.js';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { viewerHint } from '../http/routes/viewer.js';
import { startCollector } from '../main.js';
import { silentObserver, type PipelineObserver } from '../pipeline/observer.js';
import {
  DEMO_CYCLE,
  DEMO_WARMUP,
  demoModels,
  demoScenario,
  SLOWDOWN_FACTOR,
  SLOWDOWN_FROM,
  type DemoScenario,
} from '../simulator/demoSchedule.js';
import { SimulatedOllama } from '../simulator/server.js';
import type { SampleStatus } from '../store/rows.js';

export interface DemoOptions {
  intervalMs: number;
  durationMs: number | null;
  port: number;
  host?: string;
  /** Postgres to use; without it the embedded one. */
  databaseUrl?: string;
  embeddedDir?: string;
  spillFile?: string;
  progressEveryMs?: number;
  logger: Logger;
  /** Where progress lines go (stdout for the CLI). */
  print: (line: string) => void;
  /** Resolves to stop the demo early (Ctrl-C). */
  stopSignal?: Promise<void>;
  /** What the simulated server does (default 'cycle'); see demoScenario. */
  scenario?: DemoScenario;
  /** Event-loop lag that makes a probe 'suspect' (default: the collector's, telemetry.suspectLoopLag). */
  suspectLoopLagMs?: number;
}

export interface DemoSummary {
  samples: Record<SampleStatus, number>;
  violations: Partial<Record<RuleId, number>>;
  startedAt: Date;
}

/** How many demo probes stand for one production probe every 15 s. */
const DEMO_TIME_SCALE = (intervalMs: number) => 15_000 / intervalMs;

class ProgressCounter implements PipelineObserver {
  readonly samples = { ok: 0, error: 0, timeout: 0, suspect: 0 };
  readonly violations = new Map<RuleId, number>();
  seriesKnown = silentObserver.seriesKnown;
  activeViolationsChanged = silentObserver.activeViolationsChanged;
  activeAlertsChanged = silentObserver.activeAlertsChanged;
  readonly alerts = { critical: 0, warning: 0, info: 0 };
  alertRaised(_series: unknown, severity: Severity): void {
    this.alerts[severity]++;
  }
  hostTelemetry = silentObserver.hostTelemetry;
  storeQueueDepth = silentObserver.storeQueueDepth;
  sampleRecorded(_series: unknown, sample: { status: SampleStatus }): void {
    this.samples[sample.status]++;
  }
  violationOpened(_series: unknown, rule: RuleId): void {
    this.violations.set(rule, (this.violations.get(rule) ?? 0) + 1);
  }
  line(elapsedMs: number): string {
    const rules = [...this.violations.entries()].map(([rule, n]) => `${rule} ${n}`).join(', ') || 'none yet';
    const { ok, error, timeout, suspect } = this.samples;
    return `demo ${formatDuration(Math.round(elapsedMs / 1000) * 1000)}: samples ${ok} ok, ${error} error, ${timeout} timeout, ${suspect} suspect; violation episodes: ${rules}; alerts: ${this.alerts.critical} critical, ${this.alerts.warning} warning`;
  }
}

export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  const { intervalMs, logger, print } = opts;
  const scenario = opts.scenario ?? 'cycle';
  const simulator = new SimulatedOllama({ models: demoModels(intervalMs), schedule: demoScenario(scenario), seed: 2026 });
  const simulatorUrl = await simulator.start();
  print(
    `demo: simulated Ollama on ${simulatorUrl} (models ${demoModels(intervalMs)
      .map((m) => m.name)
      .join(
        ', ',
      )}; ${scenario === 'cycle' ? 'incidents and faults' : `scenario ${scenario}: faults`} every ${DEMO_CYCLE} probes after the first ${DEMO_WARMUP}${scenario === 'slowdown' ? `; llama3.2:1b ×${SLOWDOWN_FACTOR} from its probe ${SLOWDOWN_FROM}` : ''})`,
  );
  const input: ConfigInput = {
    collector: 'demo',
    targets: [{ name: 'demo-ollama', url: simulatorUrl }],
    models: demoModels(intervalMs).map((m) => m.name),
    interval: `${intervalMs}ms`,
    // Long enough for a cold load, short enough that a hung request does not stall the demo.
    timeout: `${Math.max(1000, intervalMs * 10)}ms`,
    spc: { baselineSize: 30, minPoints: 20 },
    // The demo compresses time: its budget is production's per probe (1 critical a week and 1
    // warning a day at a 15 s cadence), so a demo minute judges like hours of a real series. Its
    // baseline is longer than the chart's: the first seconds of a demo measure a collector still starting.
    alerts: { baselineSize: 60, criticalPerWeek: DEMO_TIME_SCALE(intervalMs), warningPerDay: DEMO_TIME_SCALE(intervalMs) },
    // LLMSCOPE_API_TOKEN unlocks the viewer's changes (acknowledge, re-baseline, clear) in a demo too.
    http: {
      host: opts.host ?? '127.0.0.1',
      port: opts.port,
      ...(process.env.LLMSCOPE_API_TOKEN ? { apiToken: process.env.LLMSCOPE_API_TOKEN } : {}),
    },
    store: { spillFile: opts.spillFile ?? '.llmscope/demo-spill.ndjson' },
    database: { ...(opts.databaseUrl ? { url: opts.databaseUrl } : {}), ...(opts.embeddedDir ? { embeddedDir: opts.embeddedDir } : {}) },
    telemetry: {
      psInterval: `${Math.max(500, intervalMs * 5)}ms`,
      ...(opts.suspectLoopLagMs !== undefined ? { suspectLoopLag: `${opts.suspectLoopLagMs}ms` } : {}),
    },
  };
  const config = configSchema.parse(input);
  const counter = new ProgressCounter();
  const startedAt = new Date();
  let collector;
  // --duration and Ctrl-C also end a start that waits for a database that never answers.
  const giveUp = new AbortController();
  const startLimit = opts.durationMs !== null ? setTimeout(() => giveUp.abort(), opts.durationMs) : null;
  void opts.stopSignal?.then(() => giveUp.abort());
  try {
    collector = await startCollector({ config, logger, observers: [counter], signal: giveUp.signal });
  } catch (error) {
    await simulator.stop();
    throw error;
  } finally {
    if (startLimit) clearTimeout(startLimit);
  }
  print(`demo: collector on ${collector.url}; ${viewerHint(collector.url)}`);
  const began = Date.now();
  const progress = setInterval(() => print(counter.line(Date.now() - began)), opts.progressEveryMs ?? 5000);
  try {
    const waits: Array<Promise<void>> = [];
    if (opts.durationMs !== null) waits.push(new Promise((resolve) => setTimeout(resolve, opts.durationMs ?? 0)));
    if (opts.stopSignal) waits.push(opts.stopSignal);
    await Promise.race(waits.length > 0 ? waits : [new Promise<void>(() => undefined)]);
  } finally {
    clearInterval(progress);
  }
  await collector.pipeline.stop();
  await collector.writer.flush();
  const summary = await summarise(collector.pool, startedAt);
  await collector.stop();
  await simulator.stop();
  print(counter.line(Date.now() - began));
  const rules =
    Object.entries(summary.violations)
      .map(([rule, n]) => `${rule} ${n}`)
      .join(', ') || 'none';
  print(
    `demo finished: stored ${summary.samples.ok} ok, ${summary.samples.error} error, ${summary.samples.timeout} timeout, ${summary.samples.suspect} suspect samples; violation episodes by rule: ${rules}`,
  );
  print(`demo: the data stays in the database (collector = 'demo'); open the API at ${collector.url}/api/violations while a demo runs`);
  return summary;
}

async function summarise(pool: pg.Pool, since: Date): Promise<DemoSummary> {
  const samples = { ok: 0, error: 0, timeout: 0, suspect: 0 };
  const byStatus = await pool.query<{ status: SampleStatus; n: string }>(
    `SELECT status, count(*) AS n FROM samples WHERE collector = 'demo' AND ts >= $1 GROUP BY status`,
    [since],
  );
  for (const row of byStatus.rows) samples[row.status] = Number(row.n);
  const byRule = await pool.query<{ rule: RuleId; n: string }>(
    `SELECT v.rule, count(*) AS n FROM violations v JOIN samples s ON s.id = v.sample_id
     WHERE s.collector = 'demo' AND v."timestamp" >= $1 GROUP BY v.rule ORDER BY v.rule`,
    [since],
  );
  const violations: DemoSummary['violations'] = {};
  for (const row of byRule.rows) violations[row.rule] = Number(row.n);
  return { samples, violations, startedAt: since };
}
