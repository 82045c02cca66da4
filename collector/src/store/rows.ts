// The rows the collector writes, in camelCase; JSON-safe (timestamps as ISO strings) so the
// writer can spill them to an NDJSON file while the database is down.
import type { SampleStatus } from '@llmscope/contract';
import type { AlertDetectorId, RuleId, Severity } from '@llmscope/spc';
import type { ProbeResult } from '../providers/types.js';
import type { ProbeTelemetry } from '../telemetry/types.js';

/** A probe's outcome as stored (@llmscope/contract): 'suspect' is an ok reply measured while the loop lagged. */
export type { SampleStatus };

export interface SeriesKey {
  target: string;
  model: string;
  probe: string;
}

/** One string per series, for Map and Set keys. */
export const seriesKeyString = (s: SeriesKey): string => JSON.stringify([s.target, s.model, s.probe]);

/** A `samples` row. `uid` is made by the collector so a row can be referenced before it is written. */
export interface RecordedSample extends Omit<ProbeResult, 'status'>, ProbeTelemetry {
  uid: string;
  ts: string;
  collector: string;
  target: string;
  provider: string;
  model: string;
  probe: string;
  promptHash: string;
  /** Only when the user opted in (config storePrompts). */
  prompt: string | null;
  status: SampleStatus;
  /** The limits in force for this point, in ms; null before the series has limits. */
  spcCenterMs: number | null;
  spcSigmaMs: number | null;
  spcUclMs: number | null;
  spcLclMs: number | null;
}

/** A new violation episode (`violations` row); sample_id is resolved from sampleUid when written. */
export interface ViolationOpen {
  sampleUid: string;
  timestamp: string;
  target: string;
  model: string;
  probe: string;
  provider: string;
  rule: RuleId;
  severity: Severity;
  latencyMs: number;
  deviationSigma: number;
  meanMs: number;
  stdDevMs: number;
  uclMs: number;
  lclMs: number;
  cpuPercent: number | null;
  memoryPercent: number | null;
  gpuPercent: number | null;
  evalCount: number | null;
  evalDurationMs: number | null;
  promptHash: string;
}

/** An episode that keeps firing: absolute values, so writing it twice is harmless. */
export interface ViolationExtend {
  sampleUid: string;
  /**
   * The series and the opening sample's ts: with the rule they name the violation row through
   * its own index, without a look-up in samples. Absent from rows (spilled, or of an episode
   * restored from a state) written before 2026-12-01, which are found by sampleUid.
   */
  series?: SeriesKey;
  openedAt?: string;
  rule: RuleId;
  points: number;
  lastSeenAt: string;
}

/**
 * Frozen Phase I limits. Unlike the sample's spc*Ms limits, centre and σ are in the charted
 * scale: ln(ms) for log, ms for none (docs/architecture.md, "Units"). The names match the
 * baselines columns and rows already spilled to disk.
 */
export interface BaselineRow extends SeriesKey {
  transform: 'none' | 'log';
  sigmaMethod: 'mr' | 'mmr' | 'sd';
  center: number;
  sigma: number;
  n: number;
  computedAt: string;
}

export interface ModelEventRow {
  ts: string;
  target: string;
  model: string;
  event: 'load' | 'evict' | 'split_change';
  sizeBytes: number | null;
  sizeVramBytes: number | null;
  gpuFraction: number | null;
  contextLength: number | null;
  expiresAt: string | null;
  detail: string;
}

export interface SeriesStateRow extends SeriesKey {
  state: unknown;
  asOf: string;
}

/** A new alert episode (`alerts` row, docs/alerting.md); uid is made by the collector. */
export interface AlertOpen extends SeriesKey {
  uid: string;
  detector: AlertDetectorId;
  severity: Severity;
  direction: 'up' | 'down' | null;
  effect: number;
  startedAt: string;
  lastSeenAt: string;
  endedAt: string | null;
  probes: number;
  sampleUid: string;
}

/** An open alert episode carried on (or ended) by a later probe. */
export type AlertUpdate = Pick<AlertOpen, 'uid' | 'severity' | 'effect' | 'lastSeenAt' | 'endedAt' | 'probes'>;

export type StoreItem =
  | { kind: 'sample'; row: RecordedSample }
  | { kind: 'alert-open'; row: AlertOpen }
  | { kind: 'alert-update'; row: AlertUpdate }
  | { kind: 'violation-open'; row: ViolationOpen }
  | { kind: 'violation-extend'; row: ViolationExtend }
  | { kind: 'baseline'; row: BaselineRow }
  | { kind: 'baseline-reset'; row: SeriesKey & { at: string } }
  | { kind: 'model-event'; row: ModelEventRow }
  | { kind: 'series-state'; row: SeriesStateRow };

/** Items written together in one transaction (a sample, its violations and its series state). */
export type StoreGroup = StoreItem[];
