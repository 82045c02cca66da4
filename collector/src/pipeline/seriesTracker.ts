// The SPC state of one series (target × model × probe): its SeriesMonitor, the violation
// episodes open right now, and the limits in force. Pure: it returns what to store.
import {
  deviationInSigma,
  ruleInfo,
  SeriesMonitor,
  toDisplayLimits,
  type ControlLimits,
  type RuleId,
  type SeriesMonitorOptions,
  type SeriesMonitorState,
  type Severity,
} from '@llmscope/spc';
import type { BaselineRow, RecordedSample, SeriesKey, StoreItem } from '../store/rows.js';

interface OpenEpisode {
  sampleUid: string;
  /** The opening sample's ts; absent in states stored before 2026-12-01. */
  openedAt?: string;
  points: number;
  lastSeenAt: string;
}

const STATE_VERSION = 1;

/** What series_states.state holds (JSON). */
export interface TrackerState {
  version: typeof STATE_VERSION;
  monitor: SeriesMonitorState;
  episodes: Partial<Record<RuleId, OpenEpisode>>;
  lastLimits: ControlLimits | null;
  baselineRecorded: boolean;
}

export interface Observation {
  /** Items to store with the sample (violations, a new baseline), in order. */
  items: StoreItem[];
  opened: Array<{ rule: RuleId; severity: Severity }>;
  /** Open episodes after this sample. */
  active: number;
  /** The baseline that just completed had no spread (σ = 0) and was dropped: Phase I goes on. */
  zeroSigmaBaseline?: boolean;
}

/** An ok sample as read back from the samples table. */
export interface ReplayedSample {
  uid: string;
  ts: string;
  latencyMs: number;
}

type SampleLimits = Pick<RecordedSample, 'spcCenterMs' | 'spcSigmaMs' | 'spcUclMs' | 'spcLclMs'>;

const NO_LIMITS: SampleLimits = { spcCenterMs: null, spcSigmaMs: null, spcUclMs: null, spcLclMs: null };

/** The limits in ms. For log, σ in ms is half the ±1σ band: (e^(c+σ) − e^(c−σ)) / 2 = e^c·sinh σ. */
export function limitsInMs(limits: ControlLimits | null): SampleLimits {
  if (!limits) return NO_LIMITS;
  const display = toDisplayLimits(limits);
  return { spcCenterMs: display.center, spcSigmaMs: display.sigma, spcUclMs: display.ucl, spcLclMs: display.lcl };
}

/** JSON with object keys sorted (jsonb does not keep key order). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Options that change what the stored state means; a change starts a new baseline. */
function optionsFingerprint(options: SeriesMonitorOptions): string {
  const { baselineSize, minPoints, sigma, transform, clean, mode, window, rules } = options;
  return canonicalJson({ baselineSize, minPoints, sigma, transform, clean, mode, window: window ?? baselineSize, rules: rules ?? {} });
}

export class SeriesTracker {
  readonly key: SeriesKey;
  private readonly options: SeriesMonitorOptions;
  private monitor: SeriesMonitor;
  private episodes = new Map<RuleId, OpenEpisode>();
  private lastLimits: ControlLimits | null = null;
  private baselineRecorded = false;

  constructor(key: SeriesKey, options: SeriesMonitorOptions) {
    this.key = key;
    this.options = options;
    this.monitor = new SeriesMonitor(options);
  }

  /** Carries on from a stored state; false (and a fresh start) when it does not fit the current options. */
  restore(stored: unknown): boolean {
    const state = stored as TrackerState | null;
    if (state?.version !== STATE_VERSION) return false;
    if (optionsFingerprint(state.monitor.options) !== optionsFingerprint(this.options)) return false;
    this.monitor = SeriesMonitor.restore(state.monitor);
    this.episodes = new Map(Object.entries(state.episodes) as Array<[RuleId, OpenEpisode]>);
    this.lastLimits = state.lastLimits;
    this.baselineRecorded = state.baselineRecorded;
    return true;
  }

  snapshot(): TrackerState {
    return {
      version: STATE_VERSION,
      monitor: this.monitor.snapshot(),
      episodes: Object.fromEntries(this.episodes),
      lastLimits: this.lastLimits,
      baselineRecorded: this.baselineRecorded,
    };
  }

  get activeEpisodes(): number {
    return this.episodes.size;
  }

  /** The limits in force now (ms), for samples that do not enter the chart (errors, timeouts). */
  currentLimits(): SampleLimits {
    return limitsInMs(this.lastLimits);
  }

  /**
   * An ok sample: runs SPC, fills the sample's limits in place, and returns the violation
   * episode items. `sample` must not be stored before this returns.
   */
  observe(sample: RecordedSample): Observation {
    const { limits, extended, opened: openedRules, zeroSigmaBaseline } = this.advance(sample.uid, sample.ts, sample.latencyMs);
    Object.assign(sample, limitsInMs(limits));
    const items: StoreItem[] = [];
    const opened: Observation['opened'] = [];
    for (const { rule, points } of extended) {
      const { sampleUid, openedAt } = this.episodes.get(rule)!;
      const opening = openedAt === undefined ? {} : { series: this.key, openedAt };
      items.push({ kind: 'violation-extend', row: { sampleUid, ...opening, rule, points, lastSeenAt: sample.ts } });
    }
    if (limits) {
      for (const rule of openedRules) {
        const { severity } = ruleInfo(rule);
        opened.push({ rule, severity });
        items.push({
          kind: 'violation-open',
          row: {
            sampleUid: sample.uid,
            timestamp: sample.ts,
            target: sample.target,
            model: sample.model,
            probe: sample.probe,
            provider: sample.provider,
            rule,
            severity,
            latencyMs: sample.latencyMs,
            deviationSigma: deviationInSigma(sample.latencyMs, limits),
            meanMs: sample.spcCenterMs ?? 0,
            stdDevMs: sample.spcSigmaMs ?? 0,
            uclMs: sample.spcUclMs ?? 0,
            lclMs: sample.spcLclMs ?? 0,
            cpuPercent: sample.cpuPercent,
            memoryPercent: sample.memoryPercent,
            gpuPercent: sample.gpuPercent,
            evalCount: sample.evalCount,
            evalDurationMs: sample.evalDurationMs,
            promptHash: sample.promptHash,
          },
        });
      }
    }
    const frozen = this.monitor.frozenLimits;
    if (frozen && !this.baselineRecorded) {
      this.baselineRecorded = true;
      items.push({ kind: 'baseline', row: this.baselineRow(frozen, sample.ts) });
    }
    return { items, opened, active: this.episodes.size, ...(zeroSigmaBaseline ? { zeroSigmaBaseline } : {}) };
  }

  /**
   * Re-applies an ok sample that was stored after the saved state (the process died before
   * its newer state was written). What it produced (violations, a baseline) was stored with
   * it in the same transaction, so nothing is returned: this only brings the state forward.
   */
  replay(sample: ReplayedSample): void {
    this.advance(sample.uid, sample.ts, sample.latencyMs);
    if (this.monitor.frozenLimits) this.baselineRecorded = true;
  }

  /** Pushes one ok latency: the limits in force, and which episodes it extends or opens. */
  private advance(
    uid: string,
    ts: string,
    latencyMs: number,
  ): { limits: ControlLimits | null; extended: Array<{ rule: RuleId; points: number }>; opened: RuleId[]; zeroSigmaBaseline: boolean } {
    const pushed = this.monitor.push(latencyMs);
    let { limits, hits } = pushed;
    let zeroSigmaBaseline = false;
    if (limits !== null && limits.sigma === 0) {
      // Zero-width limits (every baseline latency identical) would flag any later difference,
      // even a rounding one, as beyond 3σ: no rule is judged, and a frozen baseline without
      // spread is dropped so that Phase I goes on until the latencies vary (docs/spc.md).
      if (this.monitor.frozenLimits) {
        this.monitor.rebaseline();
        zeroSigmaBaseline = true;
      }
      limits = null;
      hits = [];
    }
    this.lastLimits = limits;
    const extended: Array<{ rule: RuleId; points: number }> = [];
    const opened: RuleId[] = [];
    const firing = new Set(hits);
    for (const rule of this.episodes.keys()) if (!firing.has(rule)) this.episodes.delete(rule);
    for (const rule of firing) {
      const open = this.episodes.get(rule);
      if (open) {
        open.points += 1;
        open.lastSeenAt = ts;
        extended.push({ rule, points: open.points });
        continue;
      }
      if (!limits) continue; // the monitor never flags without limits; kept for the type
      this.episodes.set(rule, { sampleUid: uid, openedAt: ts, points: 1, lastSeenAt: ts });
      opened.push(rule);
    }
    return { limits, extended, opened, zeroSigmaBaseline };
  }

  /** Forgets the baseline and the open episodes: Phase I starts again with the next sample. */
  reset(): void {
    this.monitor.rebaseline();
    this.episodes.clear();
    this.lastLimits = null;
    this.baselineRecorded = false;
  }

  private baselineRow(limits: ControlLimits, at: string): BaselineRow {
    return {
      ...this.key,
      transform: limits.transform,
      sigmaMethod: limits.sigmaMethod,
      center: limits.center,
      sigma: limits.sigma,
      n: limits.n,
      computedAt: at,
    };
  }
}
