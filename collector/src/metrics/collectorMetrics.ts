// Every Prometheus metric the collector exports, created on the registry the composition
// root passes in (never prom-client's global one). Names and labels: docs/api.md, "GET /metrics".
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { RULES, type AlertDetectorId, type RuleId, type Severity } from '@llmscope/spc';
import type { MetricsConfig } from '../config/schema.js';
import type { HostTelemetry, PipelineObserver, RecordedSample, SeriesKey } from '../pipeline/observer.js';
import { LLM_LATENCY_BUCKETS_SECONDS } from './latencyBuckets.js';

export { LLM_LATENCY_BUCKETS_SECONDS };

export const METRIC_PREFIX = 'llmscope_';

const DEFAULT_METRICS: MetricsConfig = { histograms: true, buckets: [...LLM_LATENCY_BUCKETS_SECONDS] };

const SERIES_LABELS = ['target', 'model', 'probe'] as const;
/** 'suspect': an ok reply measured while the collector's own event loop lagged (docs/reliability.md). */
const STATUSES = ['ok', 'error', 'timeout', 'suspect'] as const;

/** Every (severity, detector) the alert policy can raise, so each counter child starts at 0. */
const ALERT_KINDS: ReadonlyArray<[Severity, AlertDetectorId]> = [
  ['critical', 'CUSUM'],
  ['warning', 'CUSUM'],
  ['info', 'CUSUM'],
  ['critical', 'availability'],
  ['info', 'outlier'],
  ['info', 'cold-start'],
];
const ACTIVE_ALERT_SEVERITIES = ['critical', 'warning'] as const;

const seriesLabels = (s: SeriesKey) => ({ target: s.target, model: s.model, probe: s.probe });

type Status = (typeof STATUSES)[number];
interface ProbeLabels {
  series: ReturnType<typeof seriesLabels>;
  byStatus: Record<Status, ReturnType<typeof seriesLabels> & { status: Status }>;
}

/**
 * The label objects of each series' per-probe metrics, made once per series (the pipeline
 * passes the same key object with every probe) instead of spread anew with every probe:
 * at 1 000 probes/s those copies were garbage the GC paid for (docs/scaling.md).
 */
function probeLabelCache(): (series: SeriesKey) => ProbeLabels {
  const cache = new WeakMap<SeriesKey, ProbeLabels>();
  return (key) => {
    let cached = cache.get(key);
    if (!cached) {
      const series = seriesLabels(key);
      const byStatus = Object.fromEntries(STATUSES.map((status) => [status, { ...series, status }])) as ProbeLabels['byStatus'];
      cached = { series, byStatus };
      cache.set(key, cached);
    }
    return cached;
  };
}

/**
 * prom-client's defaults, less the three gauges it names `*_total` (nodejs_active_handles_total,
 * _requests_total, _resources_total): `promtool check metrics` rejects them, as a `_total`
 * suffix promises a counter. The same counts stay available, by type, in
 * nodejs_active_handles / _requests / _resources.
 */
function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  for (const kind of ['handles', 'requests', 'resources']) registry.removeSingleMetric(`${METRIC_PREFIX}nodejs_active_${kind}_total`);
}

/** `options`: config `metrics` (per-series histograms on or off, their buckets; docs/scaling.md). */
export function createCollectorMetrics(registry: Registry, options: MetricsConfig = DEFAULT_METRICS): PipelineObserver {
  const registers = [registry];
  registerProcessMetrics(registry);

  const probeDuration = options.histograms
    ? new Histogram({
        name: `${METRIC_PREFIX}probe_duration_seconds`,
        help: 'Wall-clock duration of successful probe requests, from send to the last byte.',
        labelNames: SERIES_LABELS,
        buckets: [...options.buckets],
        registers,
      })
    : null;
  const probeTtft = options.histograms
    ? new Histogram({
        name: `${METRIC_PREFIX}probe_ttft_seconds`,
        help: 'Time to first token of successful streamed probe requests, measured by the client.',
        labelNames: SERIES_LABELS,
        buckets: [...options.buckets],
        registers,
      })
    : null;
  const tokensPerSecond = new Gauge({
    name: `${METRIC_PREFIX}probe_tokens_per_second`,
    help: 'Generation speed of the latest successful probe (eval tokens per second of eval time).',
    labelNames: SERIES_LABELS,
    registers,
  });
  const requests = new Counter({
    name: `${METRIC_PREFIX}probe_requests_total`,
    help: 'Probe requests by outcome (ok, error, timeout, suspect: measured while the collector itself lagged).',
    labelNames: [...SERIES_LABELS, 'status'],
    registers,
  });
  const spcCenter = new Gauge({
    name: `${METRIC_PREFIX}spc_center_seconds`,
    help: 'Centre line of the latency control chart in force.',
    labelNames: SERIES_LABELS,
    registers,
  });
  const spcUpper = new Gauge({
    name: `${METRIC_PREFIX}spc_upper_limit_seconds`,
    help: 'Upper control limit of the latency control chart in force.',
    labelNames: SERIES_LABELS,
    registers,
  });
  const spcLower = new Gauge({
    name: `${METRIC_PREFIX}spc_lower_limit_seconds`,
    help: 'Lower control limit of the latency control chart in force.',
    labelNames: SERIES_LABELS,
    registers,
  });
  const violations = new Counter({
    name: `${METRIC_PREFIX}spc_violations_total`,
    help: 'SPC rule violation episodes opened (one per run of consecutive flagged points).',
    labelNames: [...SERIES_LABELS, 'rule', 'severity'],
    registers,
  });
  const activeViolations = new Gauge({
    name: `${METRIC_PREFIX}spc_active_violations`,
    help: 'Violation episodes of the series that are still firing.',
    labelNames: SERIES_LABELS,
    registers,
  });
  const alerts = new Counter({
    name: `${METRIC_PREFIX}alerts_total`,
    help: 'Alerts raised by the alert policy (docs/alerting.md): new episodes, plus warnings that became critical.',
    labelNames: [...SERIES_LABELS, 'severity', 'detector'],
    registers,
  });
  const activeAlerts = new Gauge({
    name: `${METRIC_PREFIX}alert_active`,
    help: 'Alert episodes of the series open now, by severity (docs/alerting.md); page on critical > 0.',
    labelNames: [...SERIES_LABELS, 'severity'],
    registers,
  });
  const hostCpu = new Gauge({
    name: `${METRIC_PREFIX}host_cpu_utilization_ratio`,
    help: 'Host CPU utilisation (0-1) over the latest telemetry interval.',
    registers,
  });
  const hostMemory = new Gauge({
    name: `${METRIC_PREFIX}host_memory_utilization_ratio`,
    help: 'Host memory in use (0-1).',
    registers,
  });
  const gpuUtilization = new Gauge({
    name: `${METRIC_PREFIX}gpu_utilization_ratio`,
    help: 'GPU utilisation (0-1) per GPU.',
    labelNames: ['gpu'],
    registers,
  });
  const gpuMemoryUsed = new Gauge({
    name: `${METRIC_PREFIX}gpu_memory_used_bytes`,
    help: 'GPU memory in use per GPU.',
    labelNames: ['gpu'],
    registers,
  });
  const storeQueueDepth = new Gauge({
    name: `${METRIC_PREFIX}store_queue_depth`,
    help: 'Records waiting in memory for the database writer; it grows while Postgres is slow or down.',
    registers,
  });

  const probeLabels = probeLabelCache();

  return {
    seriesKnown(series: SeriesKey) {
      const { series: labels, byStatus } = probeLabels(series);
      // Zero-valued children exist from the start, so rate() and increase() see the first episode.
      for (const status of STATUSES) requests.inc(byStatus[status], 0);
      for (const rule of RULES) violations.inc({ ...labels, rule: rule.id, severity: rule.severity }, 0);
      activeViolations.set(labels, 0);
      for (const [severity, detector] of ALERT_KINDS) alerts.inc({ ...labels, severity, detector }, 0);
      for (const severity of ACTIVE_ALERT_SEVERITIES) activeAlerts.set({ ...labels, severity }, 0);
    },

    sampleRecorded(series: SeriesKey, sample: RecordedSample) {
      const { series: labels, byStatus } = probeLabels(series);
      requests.inc(byStatus[sample.status]);
      // Errors and timeouts are only counted: a timeout's "duration" is the client's limit, not the server's speed.
      if (sample.status === 'ok') {
        probeDuration?.observe(labels, sample.latencyMs / 1000);
        if (sample.ttftMs !== null) probeTtft?.observe(labels, sample.ttftMs / 1000);
        if (sample.tokensPerSecond !== null) tokensPerSecond.set(labels, sample.tokensPerSecond);
      }
      if (sample.spcCenterMs !== null) spcCenter.set(labels, sample.spcCenterMs / 1000);
      if (sample.spcUclMs !== null) spcUpper.set(labels, sample.spcUclMs / 1000);
      if (sample.spcLclMs !== null) spcLower.set(labels, sample.spcLclMs / 1000);
    },

    violationOpened(series: SeriesKey, rule: RuleId, severity: Severity) {
      violations.inc({ ...seriesLabels(series), rule, severity });
    },

    activeViolationsChanged(series: SeriesKey, active: number) {
      activeViolations.set(seriesLabels(series), active);
    },

    alertRaised(series: SeriesKey, severity: Severity, detector: AlertDetectorId) {
      alerts.inc({ ...seriesLabels(series), severity, detector });
    },

    activeAlertsChanged(series: SeriesKey, active: Record<'critical' | 'warning', number>) {
      for (const severity of ACTIVE_ALERT_SEVERITIES) activeAlerts.set({ ...seriesLabels(series), severity }, active[severity]);
    },

    hostTelemetry(t: HostTelemetry) {
      if (t.cpuRatio !== null) hostCpu.set(t.cpuRatio);
      if (t.memoryRatio !== null) hostMemory.set(t.memoryRatio);
      for (const gpu of t.gpus) {
        const labels = { gpu: String(gpu.index) };
        if (gpu.utilizationRatio !== null) gpuUtilization.set(labels, gpu.utilizationRatio);
        if (gpu.memoryUsedBytes !== null) gpuMemoryUsed.set(labels, gpu.memoryUsedBytes);
      }
    },

    storeQueueDepth(depth: number) {
      storeQueueDepth.set(depth);
    },
  };
}
