// The alert policy of one series in the collector: feeds each probe outcome to its AlertMonitor
// (@llmscope/spc) and turns what it raises into `alerts` rows and metric events. The chart's rule
// episodes (SeriesTracker) are untouched; this decides what pages. See docs/alerting.md.
import { createHash } from 'node:crypto';
import {
  AlertMonitor,
  type AlertDetectorId,
  type AlertEpisode,
  type AlertModel,
  type AlertMonitorState,
  type AlertPolicy,
  type DesignRequest,
  type ProbeOutcome,
  type Severity,
} from '@llmscope/spc';
import type { CollectorConfig, ProbeConfig, TargetConfig } from '../config/schema.js';
import type { SeriesKey, StoreItem } from '../store/rows.js';
import type { SampleSince } from '../store/seriesStateQueries.js';

/** What the detector reads of a probe: a live RecordedSample or one read back after a restart. */
export type AlertInput = SampleSince;

export type ActiveAlerts = Record<'critical' | 'warning', number>;

export interface AlertObservation {
  items: StoreItem[];
  /** Episodes raised by this probe, and episodes that became critical (counted as critical alerts). */
  raised: Array<{ severity: Severity; detector: AlertDetectorId }>;
  /** Open episodes by severity, when that changed with this probe. */
  active: ActiveAlerts | null;
  /** The detector finished its Phase I with this probe. */
  modelReady: AlertModel | null;
}

interface OpenEpisode {
  uid: string;
  startedAt: string;
}

const STATE_VERSION = 1;

export interface SeriesAlertsState {
  version: typeof STATE_VERSION;
  monitor: AlertMonitorState;
  open: Record<string, OpenEpisode>;
  failureRunStartedAt: string | null;
}

const episodeKey = (e: Pick<AlertEpisode, 'detector' | 'direction'>) => `${e.detector}/${e.direction ?? '-'}`;

/**
 * An episode's uid follows from the sample that opened it (one episode per detector and
 * direction per sample), so replaying that sample after a crash names the stored row again
 * instead of inventing a second one.
 */
function episodeUid(sampleUid: string, key: string): string {
  const h = createHash('sha256').update(`${sampleUid}/${key}`).digest('hex');
  // RFC 9562 layout: version 8 (custom), variant 10.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class SeriesAlerts {
  readonly key: SeriesKey;
  private readonly policy: AlertPolicy;
  private monitor: AlertMonitor;
  private open = new Map<string, OpenEpisode>();
  private failureRunStartedAt: string | null = null;

  constructor(key: SeriesKey, policy: AlertPolicy) {
    this.key = key;
    this.policy = policy;
    this.monitor = new AlertMonitor(policy);
  }

  get model(): AlertModel | null {
    return this.monitor.model;
  }

  get active(): ActiveAlerts {
    return countActive(this.monitor.active);
  }

  snapshot(): SeriesAlertsState {
    return {
      version: STATE_VERSION,
      monitor: this.monitor.snapshot(),
      open: Object.fromEntries(this.open),
      failureRunStartedAt: this.failureRunStartedAt,
    };
  }

  /** Carries on from a stored state; false (and a fresh start) when it is missing or its policy differs. */
  restore(stored: unknown): boolean {
    const state = stored as SeriesAlertsState | undefined;
    if (state?.version !== STATE_VERSION) return false;
    const fresh = new AlertMonitor(this.policy).policy;
    const storedPolicy = state.monitor?.policy as Partial<typeof fresh> | undefined;
    // Field by field: the state comes back from jsonb, which does not keep key order.
    if (!storedPolicy || (Object.keys(fresh) as Array<keyof typeof fresh>).some((key) => storedPolicy[key] !== fresh[key])) return false;
    this.monitor = AlertMonitor.restore(state.monitor);
    this.open = new Map(Object.entries(state.open));
    this.failureRunStartedAt = state.failureRunStartedAt;
    return true;
  }

  /** The detector design this sample needs solved: it ends Phase I (pipeline solves it in a worker first). */
  designNeededBy(sample: AlertInput): DesignRequest | null {
    const outcome = probeOutcome(sample);
    return outcome ? this.monitor.designNeededBy(outcome) : null;
  }

  /**
   * A sample stored after the saved state, read back after a crash: the detector takes it in as
   * it did before; what it raised was stored with the sample, so nothing is returned.
   */
  replay(sample: AlertInput): void {
    this.observe(sample);
  }

  /** A fresh Phase I with no open episode (a replay that failed half way). */
  restart(): void {
    this.monitor = new AlertMonitor(this.policy);
    this.open.clear();
    this.failureRunStartedAt = null;
  }

  /** One probe of the series. Suspect samples (our own loop lagged) are neither latency nor failure. */
  observe(sample: AlertInput): AlertObservation {
    const observation: AlertObservation = { items: [], raised: [], active: null, modelReady: null };
    const outcome = probeOutcome(sample);
    if (!outcome) return observation;
    if (sample.status === 'ok') this.failureRunStartedAt = null;
    else this.failureRunStartedAt ??= sample.ts;
    const before = this.active;
    const hadModel = this.monitor.model !== null;
    const step = this.monitor.push(outcome);
    for (const episode of step.closed) this.update(episode, sample.ts, sample.ts, observation);
    for (const episode of step.opened) {
      const uid = episodeUid(sample.uid, episodeKey(episode));
      const startedAt = episode.detector === 'availability' ? (this.failureRunStartedAt ?? sample.ts) : sample.ts;
      if (episode.open) this.open.set(episodeKey(episode), { uid, startedAt });
      observation.raised.push({ severity: episode.severity, detector: episode.detector });
      observation.items.push({
        kind: 'alert-open',
        row: {
          ...this.key,
          uid,
          detector: episode.detector,
          severity: episode.severity,
          direction: episode.direction,
          effect: episode.effect,
          startedAt,
          lastSeenAt: sample.ts,
          endedAt: episode.open ? null : sample.ts,
          probes: episode.end - episode.start + 1,
          sampleUid: sample.uid,
        },
      });
    }
    const opened = new Set(step.opened.map(episodeKey));
    const escalated = new Set(step.escalated.map(episodeKey));
    for (const episode of this.monitor.active) {
      if (escalated.has(episodeKey(episode))) observation.raised.push({ severity: 'critical', detector: episode.detector });
      if (!opened.has(episodeKey(episode))) this.update(episode, sample.ts, null, observation);
    }
    const after = this.active;
    if (after.critical !== before.critical || after.warning !== before.warning) observation.active = after;
    if (!hadModel && this.monitor.model) observation.modelReady = this.monitor.model;
    return observation;
  }

  /** A re-baseline: open episodes end now and the detector collects a new Phase I. */
  reset(at: string): StoreItem[] {
    const observation: AlertObservation = { items: [], raised: [], active: null, modelReady: null };
    for (const episode of this.monitor.rebaseline()) this.update(episode, at, at, observation);
    this.failureRunStartedAt = null;
    return observation.items;
  }

  private update(episode: AlertEpisode, lastSeenAt: string, endedAt: string | null, observation: AlertObservation): void {
    const key = episodeKey(episode);
    const open = this.open.get(key);
    if (!open) return;
    if (endedAt !== null) this.open.delete(key);
    observation.items.push({
      kind: 'alert-update',
      row: {
        uid: open.uid,
        severity: episode.severity,
        effect: episode.effect,
        lastSeenAt,
        endedAt,
        probes: episode.end - episode.start + 1,
      },
    });
  }
}

/** What the alert monitor reads of a sample; null for one it must not see (suspect, or ok without a latency). */
function probeOutcome(sample: AlertInput): ProbeOutcome | null {
  if (sample.status === 'suspect') return null;
  if (sample.status !== 'ok') return { status: sample.status };
  return sample.latencyMs === null ? null : { status: 'ok', latencyMs: sample.latencyMs, coldStart: sample.coldStart ?? false };
}

function countActive(episodes: readonly AlertEpisode[]): ActiveAlerts {
  const active: ActiveAlerts = { critical: 0, warning: 0 };
  for (const e of episodes) if (e.severity === 'critical' || e.severity === 'warning') active[e.severity]++;
  return active;
}

/** A series' alert policy: the top-level `alerts`, overridden by its target's, then by its probe's. */
export function seriesAlertPolicy(
  config: Pick<CollectorConfig, 'alerts' | 'interval'>,
  target: Pick<TargetConfig, 'alerts'>,
  probe: Pick<ProbeConfig, 'alerts'>,
): AlertPolicy {
  const merged = { ...config.alerts, ...target.alerts, ...probe.alerts };
  return {
    intervalSeconds: config.interval / 1000,
    criticalPerWeek: merged.criticalPerWeek,
    warningPerDay: merged.warningPerDay,
    minEffect: merged.minEffect,
    sloMs: merged.sloMs ?? null,
    baselineSize: merged.baselineSize,
  };
}
