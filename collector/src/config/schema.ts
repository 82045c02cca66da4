// The collector's configuration: one zod schema, strict at every level so a misspelt key
// is an error rather than a silently ignored setting.
import { z } from 'zod';
import { labelProblem } from '../labels.js';
import { LLM_LATENCY_BUCKETS_SECONDS } from '../metrics/latencyBuckets.js';
import { DEFAULT_REPLY_LIMITS } from '../providers/replyLimits.js';
import { parseDuration } from './duration.js';

const duration = (what: string) =>
  z.string({ error: `${what} must be a duration such as "15s", "500ms" or "2m"` }).transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a positive duration (use e.g. "15s", "500ms", "2m")` });
      return z.NEVER;
    }
    return ms;
  });

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'Invalid URL (expected http:// or https://)' })
  // A password in the URL would be written into every log line and stored error that names it.
  .refine(
    (url) => !URL.canParse(url) || (new URL(url).username === '' && new URL(url).password === ''),
    'must not hold credentials (user:password@); use apiKey for a server that needs a token',
  );

/** A series label: what the API accepts as a filter (labels.ts), so every stored series can be asked for. */
const seriesLabel = z.string().superRefine((label, ctx) => {
  const problem = labelProblem(label);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const DEFAULT_PROBE_PROMPT = 'Reply with exactly one short sentence: what is statistical process control?';

// The alert policy (docs/alerting.md): a false-alarm budget in words and the smallest change
// worth an alert. Top-level `alerts` is the default; a target or a probe may override any field.
const alertFields = {
  /** False critical alerts a series may raise per week when nothing changed. */
  criticalPerWeek: z.number().positive().max(10_000),
  /** False warnings a series may raise per day when nothing changed. */
  warningPerDay: z.number().positive().max(10_000),
  /** Smallest relative change of the median latency worth an alert (0.2 = +20 %). */
  minEffect: z.number().positive().max(10),
  /** Upward alerts also need the median latency above this many ms. */
  sloMs: z.number().positive(),
  /** Ok probes the alert detector's Phase I takes. */
  baselineSize: z.int().min(10).max(100_000),
};
const alertsSchema = z.strictObject({
  criticalPerWeek: alertFields.criticalPerWeek.default(1),
  warningPerDay: alertFields.warningPerDay.default(1),
  minEffect: alertFields.minEffect.default(0.2),
  sloMs: alertFields.sloMs.optional(),
  baselineSize: alertFields.baselineSize.default(100),
});
const alertsOverride = z.strictObject(alertFields).partial();

const probeSchema = z.strictObject({
  alerts: alertsOverride.optional(),
  name: z
    .string()
    .min(1)
    .regex(/^[\w.-]+$/, 'use letters, digits, "_", "-" or "." only'),
  prompt: z.string().min(1),
  /** Passed to the model server as generation options (num_predict, temperature, seed, …). */
  options: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});

const targetSchema = z
  .strictObject({
    /** Series label; defaults to the URL's host:port. */
    name: seriesLabel.optional(),
    url: httpUrl,
    provider: z.enum(['ollama', 'openai']).default('ollama'),
    /** Models to probe on this target; default: the global list, else what the server lists. */
    models: z.array(seriesLabel).min(1).optional(),
    /** Bearer token for OpenAI-compatible servers that need one. */
    apiKey: z.string().min(1).optional(),
    alerts: alertsOverride.optional(),
  })
  .transform((target) => ({ ...target, name: target.name ?? new URL(target.url).host }));

const ruleLengths = z.strictObject({
  R2: z.int().min(2).optional(),
  R3: z.int().min(2).optional(),
  R4: z.int().min(2).optional(),
  R7: z.int().min(2).optional(),
  R8: z.int().min(2).optional(),
});

const spcSchema = z.strictObject({
  transform: z.enum(['log', 'none']).default('log'),
  sigma: z.enum(['mr', 'mmr', 'sd']).default('mr'),
  baselineSize: z.int().min(10).default(100),
  minPoints: z.int().min(5).default(20),
  clean: z.boolean().default(true),
  mode: z.enum(['frozen', 'rolling']).default('frozen'),
  window: z.int().min(10).optional(),
  rules: z
    .strictObject({
      preset: z.enum(['nelson', 'western-electric']).default('nelson'),
      runLengths: ruleLengths.optional(),
      ewma: z.union([z.strictObject({ lambda: z.number().gt(0).lte(1), L: z.number().positive() }), z.literal(false)]).default(false),
      cusum: z.union([z.strictObject({ k: z.number().nonnegative(), h: z.number().positive() }), z.literal(false)]).default(false),
    })
    .prefault({}),
});

const httpSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.int().min(0).max(65535).default(8080),
  apiToken: z.string().min(8, 'must be at least 8 characters').optional(),
  corsOrigin: z.string().min(1).optional(),
  /** CSV/PDF exports running at once, each in a worker thread; more get 429 (docs/reliability.md). */
  maxConcurrentExports: z.int().min(1).max(16).default(2),
  /** Postgres statement_timeout of every API query: a heavy query cannot hold a connection for minutes. */
  statementTimeout: duration('http.statementTimeout').default(30_000),
});

const storeSchema = z.strictObject({
  /** Samples/violations held in memory while the database is slow or down; beyond this they spill to spillFile. */
  queueSize: z.int().min(10).default(10_000),
  spillFile: z.string().min(1).default('.llmscope/spill.ndjson'),
  batchSize: z.int().min(1).max(10_000).default(500),
  flushInterval: duration('store.flushInterval').default(250),
  retryInterval: duration('store.retryInterval').default(2000),
  /** Bound of spill.rejected.ndjson, the items Postgres refused; beyond it they are dropped with a warning (docs/reliability.md). */
  rejectedMaxBytes: z
    .int()
    .min(0)
    .default(4 * 1024 * 1024),
});

/** How long data is kept (docs/scaling.md, "Retention and partitions"); whole days, dropped a day at a time. */
const retentionSchema = z
  .strictObject({
    /** Raw samples and the per-minute rollups. */
    samples: duration('retention.samples').default(30 * 86_400_000),
    /** The per-hour rollups; at least as long as samples. */
    rollups: duration('retention.rollups').default(400 * 86_400_000),
  })
  .refine((r) => r.rollups >= r.samples, {
    path: ['rollups'],
    message: 'must be at least retention.samples (rollups summarise the samples they outlive)',
  })
  .refine((r) => r.samples >= 86_400_000, {
    path: ['samples'],
    message: 'must be at least 1d (samples are dropped a day partition at a time)',
  });

const databaseSchema = z.strictObject({
  /** postgres://… ; without it an embedded Postgres runs with its data in embeddedDir. */
  url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  embeddedDir: z.string().min(1).default('.llmscope/postgres'),
  embeddedPort: z.int().min(1).max(65535).default(54329),
});

const telemetrySchema = z.strictObject({
  /** How often /api/ps is polled for model residency. */
  psInterval: duration('telemetry.psInterval').default(10_000),
  /** Run nvidia-smi / read AMD sysfs; false skips GPU telemetry. */
  gpu: z.boolean().default(true),
  /** A probe during which the collector's event loop lagged more than this is stored as 'suspect' (docs/reliability.md). */
  suspectLoopLag: duration('telemetry.suspectLoopLag').default(50),
});

/** Bounds on what a model server may send (providers/replyLimits.ts, docs/reliability.md). */
const modelServerSchema = z.strictObject({
  maxReplyBytes: z.int().min(1024).default(DEFAULT_REPLY_LIMITS.maxReplyBytes),
  maxLineLength: z.int().min(1024).default(DEFAULT_REPLY_LIMITS.maxLineLength),
  maxJsonDepth: z.int().min(4).max(1000).default(DEFAULT_REPLY_LIMITS.maxJsonDepth),
  maxModels: z.int().min(1).default(DEFAULT_REPLY_LIMITS.maxModels),
});

/**
 * What /metrics exports per series (docs/scaling.md, "Prometheus cardinality"): each latency
 * histogram costs buckets + 3 series per LLMscope series (the +Inf bucket, _sum, _count).
 */
const metricsSchema = z.strictObject({
  /** The per-series probe_duration_seconds and probe_ttft_seconds histograms; false leaves both out. */
  histograms: z.boolean().default(true),
  /** Their upper bounds in seconds. */
  buckets: z
    .array(z.number().positive('bucket bounds are seconds and must be positive').finite())
    .min(1, 'needs at least one bucket bound (or set metrics.histograms: false)')
    .max(40, 'at most 40 bucket bounds: each one is a Prometheus series per LLMscope series, twice')
    .refine((b) => b.every((v, i) => i === 0 || v > b[i - 1]!), 'bucket bounds must be strictly increasing')
    .default([...LLM_LATENCY_BUCKETS_SECONDS]),
});

export const configSchema = z
  .strictObject({
    /** Name of this collector instance, stored on every sample. */
    collector: z.string().min(1),
    targets: z.array(targetSchema).min(1),
    models: z.array(seriesLabel).min(1).optional(),
    probes: z
      .array(probeSchema)
      .min(1)
      .default([{ name: 'default', prompt: DEFAULT_PROBE_PROMPT, options: { num_predict: 32, temperature: 0, seed: 42 } }]),
    interval: duration('interval').default(15_000),
    timeout: duration('timeout').default(120_000),
    /** How often model discovery (/api/tags) is retried and refreshed. */
    discoveryInterval: duration('discoveryInterval').default(15_000),
    spc: spcSchema.prefault({}),
    alerts: alertsSchema.prefault({}),
    http: httpSchema.prefault({}),
    store: storeSchema.prefault({}),
    retention: retentionSchema.prefault({}),
    database: databaseSchema.prefault({}),
    telemetry: telemetrySchema.prefault({}),
    modelServer: modelServerSchema.prefault({}),
    metrics: metricsSchema.prefault({}),
    /** Store prompt text beside its hash (off: only the SHA-256 is kept). */
    storePrompts: z.boolean().default(false),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.targets.forEach((target, i) => {
      if (seen.has(target.name))
        ctx.addIssue({ code: 'custom', path: ['targets', i, 'name'], message: `duplicate target name "${target.name}"` });
      seen.add(target.name);
    });
    const probes = new Set<string>();
    config.probes.forEach((probe, i) => {
      if (probes.has(probe.name))
        ctx.addIssue({ code: 'custom', path: ['probes', i, 'name'], message: `duplicate probe name "${probe.name}"` });
      probes.add(probe.name);
    });
  });

export type CollectorConfig = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type TargetConfig = CollectorConfig['targets'][number];
export type ProbeConfig = CollectorConfig['probes'][number];
export type SpcConfig = CollectorConfig['spc'];
export type AlertsConfig = CollectorConfig['alerts'];
export type MetricsConfig = CollectorConfig['metrics'];
