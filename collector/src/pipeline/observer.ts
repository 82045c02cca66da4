// What the pipeline tells the outside world (the Prometheus metrics implement it).
import type { AlertDetectorId, RuleId, Severity } from '@llmscope/spc';
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
  /** The alert policy raised an alert (a new episode, or one that became critical). */
  alertRaised(series: SeriesKey, severity: Severity, detector: AlertDetectorId): void;
  /** Open alert episodes of the series by severity. */
  activeAlertsChanged(series: SeriesKey, active: Record<'critical' | 'warning', number>): void;
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
  alertRaised: () => undefined,
  activeAlertsChanged: () => undefined,
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
    alertRaised: (series, severity, detector) => observers.forEach((o) => o.alertRaised(series, severity, detector)),
    activeAlertsChanged: (series, active) => observers.forEach((o) => o.activeAlertsChanged(series, active)),
    hostTelemetry: (t) => observers.forEach((o) => o.hostTelemetry(t)),
    storeQueueDepth: (depth) => observers.forEach((o) => o.storeQueueDepth(depth)),
  };
}
