// The alert policy of one series: which changes page a person. It watches every probe outcome
// and keeps its own Phase I estimate of ln latency; after that, a two-sided CUSUM on winsorised
// standardised ln latency (k and h from the minimum effect and the false-alarm budget, adjusted
// for the estimate's error; see alertDesign.ts) proposes an alert, and the effect gate decides:
// the median of the evidence must have moved by at least the minimum effect, and for a critical
// two thirds of it upwards by twice the minimum effect.
// Runs of failed probes page through the availability detector; single outliers, cold starts and
// large drops (faster) are info. The chart's Nelson rules are untouched: this is a separate layer.
// See docs/alerting.md (what pages) and docs/spc.md "Alerting" (the maths and references).
import type { Severity } from '../types.js';
import { designDetector, robustBaseline, type DesignRequest, type DetectorDesign } from './alertDesign.js';
import { failureRunToAlert, FAILURE_RATE_FLOOR } from './availability.js';
import { budgetArls, DEFAULT_ALERT_BUDGET } from './budget.js';
import { lowerMedian, lowerTercile, relativeChange, upperMedian } from './effect.js';

export type AlertDetectorId = 'CUSUM' | 'availability' | 'outlier' | 'cold-start';
export type ProbeStatus = 'ok' | 'error' | 'timeout';

export interface ProbeOutcome {
  status: ProbeStatus;
  /** Latency in ms; needed when status is ok. */
  latencyMs?: number;
  /** The probe loaded the model (Ollama's load_duration): info, never evidence of a shift. */
  coldStart?: boolean;
}

export interface AlertPolicy {
  /** Seconds between probes of the series. */
  intervalSeconds: number;
  criticalPerWeek?: number;
  warningPerDay?: number;
  /** Smallest relative change of the median latency worth an alert (0.2 = +20 %). */
  minEffect?: number;
  /** Upward alerts also need the evidence's median latency above this many ms. */
  sloMs?: number | null;
  /** Ok probes in the detector's Phase I. Default 100. */
  baselineSize?: number;
}

export interface ResolvedAlertPolicy {
  intervalSeconds: number;
  criticalPerWeek: number;
  warningPerDay: number;
  minEffect: number;
  sloMs: number | null;
  baselineSize: number;
}

export interface AlertEpisode {
  detector: AlertDetectorId;
  severity: Severity;
  /** 'up' (slower), 'down' (faster) or null (availability, info). */
  direction: 'up' | 'down' | null;
  /** 0-based index of the probe that opened the episode (for availability, the first failure). */
  start: number;
  /** 0-based index of the last probe the episode covers so far. */
  end: number;
  /** Relative change of the median latency (0.31 = +31 %); for availability, the failed share (1). */
  effect: number;
  open: boolean;
}

export interface AlertStep {
  /** Episodes that began at this probe (info episodes are opened and closed at once). */
  opened: AlertEpisode[];
  /** Open episodes that became critical at this probe. */
  escalated: AlertEpisode[];
  /** Episodes that ended before this probe. */
  closed: AlertEpisode[];
}

export interface AlertModel {
  center: number;
  sigma: number;
  /** σ̂ was below SIGMA_FLOOR (a constant baseline) and was raised to it. */
  sigmaFloored: boolean;
  /** Baseline points kept after the 3σ exclusion. */
  n: number;
  design: DetectorDesign;
  failureRun: number;
}

interface Side {
  sum: number;
  run: number;
}

const STATE_VERSION = 1;

export interface AlertMonitorState {
  version: typeof STATE_VERSION;
  policy: ResolvedAlertPolicy;
  index: number;
  baseline: number[];
  baselineFailures: number;
  model: AlertModel | null;
  up: Side;
  down: Side;
  recent: number[];
  failureRun: number;
  episodes: { up: AlertEpisode | null; down: AlertEpisode | null; availability: AlertEpisode | null };
}

/** σ of ln latency is floored here (0.1 %, below any real timer's relative resolution at LLM latencies). */
export const SIGMA_FLOOR = 0.001;
/** The effect is the median of at most this many of the latest points of the evidence. */
export const EFFECT_WINDOW = 24;
/** Points of evidence an alert needs: a single point never pages. */
export const MIN_EVIDENCE = 2;

export const DEFAULT_ALERT_POLICY: Omit<ResolvedAlertPolicy, 'intervalSeconds'> = {
  ...DEFAULT_ALERT_BUDGET,
  minEffect: 0.2,
  sloMs: null,
  baselineSize: 100,
};

export function resolveAlertPolicy(policy: AlertPolicy): ResolvedAlertPolicy {
  const resolved: ResolvedAlertPolicy = {
    intervalSeconds: policy.intervalSeconds,
    criticalPerWeek: policy.criticalPerWeek ?? DEFAULT_ALERT_POLICY.criticalPerWeek,
    warningPerDay: policy.warningPerDay ?? DEFAULT_ALERT_POLICY.warningPerDay,
    minEffect: policy.minEffect ?? DEFAULT_ALERT_POLICY.minEffect,
    sloMs: policy.sloMs ?? null,
    baselineSize: policy.baselineSize ?? DEFAULT_ALERT_POLICY.baselineSize,
  };
  const positive = (name: string, value: number) => {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
  };
  positive('intervalSeconds', resolved.intervalSeconds);
  positive('criticalPerWeek', resolved.criticalPerWeek);
  positive('warningPerDay', resolved.warningPerDay);
  positive('minEffect', resolved.minEffect);
  if (resolved.sloMs !== null) positive('sloMs', resolved.sloMs);
  if (!Number.isInteger(resolved.baselineSize) || resolved.baselineSize < 10)
    throw new RangeError(`baselineSize must be an integer >= 10, got ${resolved.baselineSize}`);
  return resolved;
}

export class AlertMonitor {
  private s: AlertMonitorState;

  constructor(policy: AlertPolicy) {
    this.s = {
      version: STATE_VERSION,
      policy: resolveAlertPolicy(policy),
      index: 0,
      baseline: [],
      baselineFailures: 0,
      model: null,
      up: { sum: 0, run: 0 },
      down: { sum: 0, run: 0 },
      recent: [],
      failureRun: 0,
      episodes: { up: null, down: null, availability: null },
    };
  }

  get policy(): ResolvedAlertPolicy {
    return this.s.policy;
  }

  /** The Phase II model, or null while the detector's baseline is being collected. */
  get model(): AlertModel | null {
    return this.s.model;
  }

  /** Episodes open now. */
  get active(): AlertEpisode[] {
    const { up, down, availability } = this.s.episodes;
    return [up, down, availability].filter((e): e is AlertEpisode => e !== null).map((e) => ({ ...e }));
  }

  snapshot(): AlertMonitorState {
    return structuredClone(this.s);
  }

  static restore(state: AlertMonitorState): AlertMonitor {
    if (state?.version !== STATE_VERSION)
      throw new RangeError(`alert monitor state version ${String(state?.version)} is not supported (expected ${STATE_VERSION})`);
    const monitor = new AlertMonitor(state.policy);
    monitor.s = structuredClone(state);
    return monitor;
  }

  /** Starts a new Phase I from the next probe; open episodes are closed. */
  rebaseline(): AlertEpisode[] {
    const closed = this.active.map((e) => ({ ...e, open: false }));
    const { policy, index } = this.s;
    this.s = new AlertMonitor(policy).s;
    this.s.index = index;
    return closed;
  }

  push(outcome: ProbeOutcome): AlertStep {
    const step: AlertStep = { opened: [], escalated: [], closed: [] };
    const index = this.s.index;
    if (outcome.status !== 'ok') {
      this.s.index++;
      this.failure(index, step);
      return step;
    }
    const latency = outcome.latencyMs;
    if (latency === undefined || !(latency > 0) || !Number.isFinite(latency)) {
      throw new RangeError(`an ok probe needs a finite latency > 0 ms, got ${String(latency)}`);
    }
    this.s.index++;
    const availability = this.s.episodes.availability;
    if (availability) {
      this.s.episodes.availability = null;
      step.closed.push({ ...availability, open: false });
    }
    this.s.failureRun = 0;
    if (outcome.coldStart) {
      step.opened.push(infoEpisode('cold-start', index, 0));
      return step;
    }
    const x = Math.log(latency);
    if (!this.s.model) {
      this.s.baseline.push(x);
      if (this.s.baseline.length >= this.s.policy.baselineSize) this.freeze();
      return step;
    }
    this.judge(x, index, step);
    return step;
  }

  private failure(index: number, step: AlertStep): void {
    this.s.failureRun++;
    if (!this.s.model) this.s.baselineFailures++;
    const open = this.s.episodes.availability;
    if (open) {
      open.end = index;
      return;
    }
    const needed =
      this.s.model?.failureRun ?? failureRunToAlert(FAILURE_RATE_FLOOR, budgetArls(this.s.policy, this.s.policy.intervalSeconds).critical);
    if (this.s.failureRun < needed) return;
    const episode: AlertEpisode = {
      detector: 'availability',
      severity: 'critical',
      direction: null,
      start: index - this.s.failureRun + 1,
      end: index,
      effect: 1,
      open: true,
    };
    this.s.episodes.availability = episode;
    step.opened.push({ ...episode });
  }

  /**
   * The design this probe would need computed: it ends Phase I. Null for any other probe. Lets a
   * caller solve it beforehand in slices (alertDesign.designDetectorInSteps), since push() is
   * synchronous and then finds it cached.
   */
  designNeededBy(outcome: ProbeOutcome): DesignRequest | null {
    const latency = outcome.status === 'ok' ? outcome.latencyMs : undefined;
    if (
      this.s.model ||
      outcome.status !== 'ok' ||
      outcome.coldStart ||
      latency === undefined ||
      !(latency > 0) ||
      !Number.isFinite(latency)
    )
      return null;
    if (this.s.baseline.length + 1 < this.s.policy.baselineSize) return null;
    return this.designRequest(robustBaseline([...this.s.baseline, Math.log(latency)]));
  }

  private designRequest(estimate: { sigma: number; kept: number }): DesignRequest {
    const { policy } = this.s;
    const arls = budgetArls(policy, policy.intervalSeconds);
    return {
      effectSigmas: Math.log1p(policy.minEffect) / Math.max(SIGMA_FLOOR, estimate.sigma),
      baselinePoints: estimate.kept,
      arlCritical: arls.critical,
      arlWarning: arls.warning,
    };
  }

  private freeze(): void {
    const { policy } = this.s;
    const estimate = robustBaseline(this.s.baseline);
    const sigmaFloored = estimate.sigma < SIGMA_FLOOR;
    const sigma = Math.max(SIGMA_FLOOR, estimate.sigma);
    const arls = budgetArls(policy, policy.intervalSeconds);
    const design = designDetector(this.designRequest(estimate));
    const probes = this.s.baseline.length + this.s.baselineFailures;
    this.s.model = {
      center: estimate.center,
      sigma,
      sigmaFloored,
      n: estimate.kept,
      design,
      failureRun: failureRunToAlert(this.s.baselineFailures / probes, arls.critical),
    };
    this.s.baseline = [];
  }

  private judge(x: number, index: number, step: AlertStep): void {
    const model = this.s.model!;
    const { k, kappa, hCritical, hWarning } = model.design;
    const z = (x - model.center) / model.sigma;
    const bound = k + kappa;
    // An extreme point inside an open shift episode is part of that shift, not an outlier of its own.
    const inShift = this.s.episodes[z > 0 ? 'up' : 'down'] !== null;
    if (Math.abs(z) > bound && !inShift) step.opened.push(infoEpisode('outlier', index, relativeChange(x - model.center)));
    const clipped = Math.max(-bound, Math.min(bound, z));
    // Capping the sums (above every decision interval) bounds how long an ended shift keeps an alert open.
    const cap = 2 * hCritical;
    advance(this.s.up, clipped - k, cap);
    advance(this.s.down, -clipped - k, cap);
    this.s.recent.push(x);
    if (this.s.recent.length > EFFECT_WINDOW) this.s.recent.shift();

    const minShift = Math.log1p(this.s.policy.minEffect);
    const criticalShift = Math.log1p(2 * this.s.policy.minEffect);
    const slo = this.s.policy.sloMs === null ? -Infinity : Math.log(this.s.policy.sloMs);

    // Slower.
    const upEvidence = this.evidence(this.s.up.run);
    const upShift = upEvidence.length >= MIN_EVIDENCE ? lowerMedian(upEvidence) - model.center : 0;
    const upAboveSlo = upEvidence.length > 0 && model.center + upShift >= slo;
    const upLevel: Severity | null =
      !upAboveSlo || upEvidence.length < MIN_EVIDENCE
        ? null
        : this.s.up.sum > hCritical && lowerTercile(upEvidence) - model.center >= criticalShift
          ? 'critical'
          : this.s.up.sum > hWarning && upShift >= minShift
            ? 'warning'
            : null;
    this.side('up', upLevel, upShift, index, step);

    // Faster: a practically large drop is recorded (a changed model, a cache, a baseline taken while
    // the host was busy) as info. It hurts no user, so it never pages.
    const downEvidence = this.evidence(this.s.down.run);
    const downShift = downEvidence.length >= MIN_EVIDENCE ? upperMedian(downEvidence) - model.center : 0;
    const downLevel: Severity | null =
      downEvidence.length >= MIN_EVIDENCE && this.s.down.sum > hWarning && downShift <= -minShift ? 'info' : null;
    this.side('down', downLevel, downShift, index, step);
  }

  /** The latest points of a side's current run (at most EFFECT_WINDOW). */
  private evidence(run: number): number[] {
    const n = Math.min(run, this.s.recent.length);
    return n === 0 ? [] : this.s.recent.slice(this.s.recent.length - n);
  }

  private side(direction: 'up' | 'down', level: Severity | null, shift: number, index: number, step: AlertStep): void {
    const sum = direction === 'up' ? this.s.up.sum : this.s.down.sum;
    const open = this.s.episodes[direction];
    const effect = relativeChange(shift);
    if (open) {
      if (sum === 0) {
        this.s.episodes[direction] = null;
        step.closed.push({ ...open, open: false });
        return;
      }
      open.end = index;
      if (Math.abs(shift) > Math.abs(Math.log1p(open.effect))) open.effect = effect;
      if (level === 'critical' && open.severity !== 'critical') {
        open.severity = 'critical';
        step.escalated.push({ ...open });
      }
      return;
    }
    if (level === null) return;
    const episode: AlertEpisode = { detector: 'CUSUM', severity: level, direction, start: index, end: index, effect, open: true };
    this.s.episodes[direction] = episode;
    step.opened.push({ ...episode });
  }
}

function advance(side: Side, increment: number, cap: number): void {
  side.sum = Math.min(cap, Math.max(0, side.sum + increment));
  side.run = side.sum > 0 ? side.run + 1 : 0;
}

function infoEpisode(detector: 'outlier' | 'cold-start', index: number, effect: number): AlertEpisode {
  return { detector, severity: 'info', direction: null, start: index, end: index, effect, open: false };
}

/** Every alert episode of a whole series (the offline path: `llmscope analyze --alerts`, the benchmark). */
export function detectAlerts(outcomes: Iterable<ProbeOutcome>, policy: AlertPolicy): AlertEpisode[] {
  const monitor = new AlertMonitor(policy);
  const episodes: AlertEpisode[] = [];
  const open = new Map<string, number>();
  const keyOf = (e: AlertEpisode) => `${e.detector}|${e.direction}`;
  for (const outcome of outcomes) {
    const step = monitor.push(outcome);
    for (const e of step.closed) episodes[open.get(keyOf(e))!] = e;
    for (const e of step.closed) open.delete(keyOf(e));
    for (const e of step.opened) {
      if (e.open) open.set(keyOf(e), episodes.length);
      episodes.push(e);
    }
    for (const e of step.escalated) episodes[open.get(keyOf(e))!] = e;
  }
  for (const e of monitor.active) episodes[open.get(keyOf(e))!] = e;
  return episodes;
}
