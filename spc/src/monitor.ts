// A monitored series: Phase I collects a baseline and judges points on provisional limits,
// Phase II judges every point on the frozen baseline limits (or, in rolling mode, on the
// limits of the last W points). The limits in force for a point are always estimated from
// points *before* it, so a spike never widens the limits that judge it.
import { RuleEvaluator, type EvaluatorState } from './evaluator.js';
import { estimateLimits } from './limits.js';
import { resolveRuleConfig } from './rules/config.js';
import { isSigmaMethod } from './sigma.js';
import { isTransform, toChartScale } from './transform.js';
import type { ControlLimits, RuleConfig, RuleId, SigmaMethod, Transform } from './types.js';

export interface SeriesMonitorOptions {
  /** Points in the Phase I baseline (frozen mode). Default 100. */
  baselineSize?: number;
  /** No rule is evaluated until this many points precede the point. Default 20. */
  minPoints?: number;
  /** Default 'mr'. */
  sigma?: SigmaMethod;
  /** Default 'none' (the collector passes 'log'). */
  transform?: Transform;
  /** Phase I exclusion of points beyond 3σ. Default true. */
  clean?: boolean;
  /** Default 'frozen'. */
  mode?: 'frozen' | 'rolling';
  /** Rolling mode: limits from the last W points. Default baselineSize. */
  window?: number;
  rules?: RuleConfig;
}

interface ResolvedMonitorOptions {
  baselineSize: number;
  minPoints: number;
  sigma: SigmaMethod;
  transform: Transform;
  clean: boolean;
  mode: 'frozen' | 'rolling';
  window: number;
  rules: RuleConfig;
}

const STATE_VERSION = 1;

export interface SeriesMonitorState {
  version: typeof STATE_VERSION;
  options: ResolvedMonitorOptions;
  /** Frozen mode: the baseline collected so far (Phase I); rolling mode: the last `window` values. */
  history: number[];
  frozen: ControlLimits | null;
  evaluator: EvaluatorState | null;
}

export interface MonitorResult {
  /** Limits in force for this point (charted scale); null before minPoints. */
  limits: ControlLimits | null;
  hits: RuleId[];
}

export class SeriesMonitor {
  private readonly options: ResolvedMonitorOptions;
  private history: number[] = [];
  private frozen: ControlLimits | null = null;
  private evaluator: RuleEvaluator | null = null;

  constructor(opts: SeriesMonitorOptions = {}) {
    this.options = resolveMonitorOptions(opts);
  }

  push(value: number): MonitorResult {
    toChartScale(value, this.options.transform); // refuse a bad value before any state changes
    if (this.evaluator !== null && this.frozen !== null) {
      return { limits: this.frozen, hits: this.evaluator.push(value) };
    }
    return this.options.mode === 'rolling' ? this.pushRolling(value) : this.pushPhaseOne(value);
  }

  /** Starts a new Phase I from the next point: the baseline and the rule history are dropped. */
  rebaseline(): void {
    this.history = [];
    this.frozen = null;
    this.evaluator = null;
  }

  /** The frozen Phase II limits, or null while the baseline is being collected (and in rolling mode). */
  get frozenLimits(): ControlLimits | null {
    return this.frozen;
  }

  snapshot(): SeriesMonitorState {
    return {
      version: STATE_VERSION,
      options: structuredClone(this.options),
      history: [...this.history],
      frozen: this.frozen && { ...this.frozen },
      evaluator: this.evaluator && this.evaluator.snapshot(),
    };
  }

  static restore(state: SeriesMonitorState): SeriesMonitor {
    if (state?.version !== STATE_VERSION) {
      throw new RangeError(`monitor state version ${String(state?.version)} is not supported (expected ${STATE_VERSION})`);
    }
    const monitor = new SeriesMonitor(state.options);
    if (!Array.isArray(state.history)) throw new RangeError('monitor state: history must be an array of numbers');
    for (const value of state.history) toChartScale(value, monitor.options.transform);
    monitor.history = [...state.history];
    if ((state.frozen === null) !== (state.evaluator === null)) {
      throw new RangeError('monitor state: frozen limits and evaluator must be both present or both null');
    }
    monitor.frozen = state.frozen && { ...state.frozen };
    monitor.evaluator = state.evaluator && RuleEvaluator.restore(state.evaluator);
    return monitor;
  }

  private pushPhaseOne(value: number): MonitorResult {
    const { baselineSize, minPoints } = this.options;
    if (this.history.length < minPoints) {
      this.history.push(value);
      return { limits: null, hits: [] };
    }
    const limits = this.estimate(this.history);
    const evaluator = this.replay(limits, this.history);
    const hits = evaluator.push(value);
    if (this.history.length >= baselineSize) {
      this.frozen = limits;
      this.evaluator = evaluator;
      this.history = [];
    } else {
      this.history.push(value);
    }
    return { limits, hits };
  }

  private pushRolling(value: number): MonitorResult {
    const { window, minPoints } = this.options;
    let result: MonitorResult = { limits: null, hits: [] };
    if (this.history.length >= minPoints) {
      const limits = this.estimate(this.history);
      result = { limits, hits: this.replay(limits, this.history).push(value) };
    }
    this.history.push(value);
    if (this.history.length > window) this.history.shift();
    return result;
  }

  private estimate(values: readonly number[]): ControlLimits {
    const { sigma, transform, clean } = this.options;
    return estimateLimits(values, { sigma, transform, clean });
  }

  /** An evaluator under `limits` that has seen `values`, so runs may span the points before. */
  private replay(limits: ControlLimits, values: readonly number[]): RuleEvaluator {
    const evaluator = new RuleEvaluator(limits, this.options.rules);
    evaluator.pushMany(values);
    return evaluator;
  }
}

function resolveMonitorOptions(opts: SeriesMonitorOptions): ResolvedMonitorOptions {
  const baselineSize = opts.baselineSize ?? 100;
  const minPoints = opts.minPoints ?? 20;
  const mode = opts.mode ?? 'frozen';
  const window = opts.window ?? baselineSize;
  const sigma = opts.sigma ?? 'mr';
  const transform = opts.transform ?? 'none';
  if (!Number.isInteger(baselineSize) || baselineSize < 2)
    throw new RangeError(`baselineSize must be an integer >= 2, got ${baselineSize}`);
  if (mode !== 'frozen' && mode !== 'rolling') throw new RangeError(`mode must be frozen or rolling, got ${String(mode)}`);
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`window must be an integer >= 2, got ${window}`);
  const span = mode === 'rolling' ? window : baselineSize;
  if (!Number.isInteger(minPoints) || minPoints < 2 || minPoints > span) {
    throw new RangeError(
      `minPoints must be an integer from 2 to ${mode === 'rolling' ? 'window' : 'baselineSize'} (${span}), got ${minPoints}`,
    );
  }
  if (!isSigmaMethod(sigma)) throw new RangeError(`sigma must be mr, mmr or sd, got ${String(sigma)}`);
  if (!isTransform(transform)) throw new RangeError(`transform must be none or log, got ${String(transform)}`);
  const rules = opts.rules ?? {};
  resolveRuleConfig(rules); // fail at construction, not at the 21st point
  return { baselineSize, minPoints, sigma, transform, clean: opts.clean ?? true, mode, window, rules: structuredClone(rules) };
}
