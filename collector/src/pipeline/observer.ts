// What the pipeline tells the outside world (the Prometheus metrics implement it).
import type { RuleId, Severity } from '@llmscope/spc';
import type { RecordedSample, SeriesKey } from '../store/rows.js';
import type { HostTelemetry } from '../telemetry/types.js';

export type { HostTelemetry, RecordedSample, SeriesKey };

export interface PipelineObserver {
  /** At start-up and when a model appears. */
  seriesKnown(series: SeriesKey): void;
  /** Every probe, ok or not. */
  sampleRecorded(series: SeriesKey, sample: RecordedSample): void;
  /** A new violation episode. */
  violationOpened(series: SeriesKey, rule: RuleId, severity: Severity): void;
  activeViolationsChanged(series: SeriesKey, active: number): void;
  /** CPU/memory ratios and per-GPU readings. */
  hostTelemetry(t: HostTelemetry): void;
  storeQueueDepth(depth: number): void;
}

/** For commands that run without metrics (and for tests). */
export const silentObserver: PipelineObserver = {
  seriesKnown: () => undefined,
  sampleRecorded: () => undefined,
  violationOpened: () => undefined,
  activeViolationsChanged: () => undefined,
  hostTelemetry: () => undefined,
  storeQueueDepth: () => undefined,
};

/** Several observers as one (the metrics, plus e.g. the demo's progress counter). */
export function composeObservers(observers: readonly PipelineObserver[]): PipelineObserver {
  return {
    seriesKnown: (series) => observers.forEach((o) => o.seriesKnown(series)),
    sampleRecorded: (series, sample) => observers.forEach((o) => o.sampleRecorded(series, sample)),
    violationOpened: (series, rule, severity) => observers.forEach((o) => o.violationOpened(series, rule, severity)),
    activeViolationsChanged: (series, active) => observers.forEach((o) => o.activeViolationsChanged(series, active)),
    hostTelemetry: (t) => observers.forEach((o) => o.hostTelemetry(t)),
    storeQueueDepth: (depth) => observers.forEach((o) => o.storeQueueDepth(depth)),
  };
}
