// The computation behind `llmscope analyze`: limits (estimated or known), every enabled rule,
// and the JSON-shaped result. Pure, so it is tested without a subprocess.
import {
  estimateLimits,
  evaluateRules,
  knownLimits,
  toDisplayLimits,
  type ControlLimits,
  type RuleConfig,
  type RuleId,
  type SigmaMethod,
  type Transform,
} from '@llmscope/spc';
import { analyzeAlerts, type AlertRow } from './analyzeAlerts.js';
import { AnalyzeInputError } from './inputError.js';
import type { Points } from './readPoints.js';

export interface AnalyzeOptions {
  sigma: SigmaMethod;
  transform: Transform;
  /** Estimate the limits from the first N points only (default: all). */
  baseline?: number;
  clean: boolean;
  /** Known centre, in the file's unit. */
  center?: number;
  /** Known sigma, in the charted scale (ln units with transform 'log'). */
  sigmaValue?: number;
  rules: RuleConfig;
  /** Apply the alert policy too (docs/alerting.md). */
  alerts?: { intervalSeconds: number; baselineSize: number; minEffect?: number; criticalPerWeek?: number; warningPerDay?: number };
}

/** What --json prints. Centre, sigma and limits are in the file's unit (back-transformed for 'log'). */
export interface AnalyzeResult {
  center: number;
  sigma: number;
  ucl: number;
  lcl: number;
  points: number;
  /** Only with --clean: how many of the baseline points the limits kept. */
  baseline?: { points: number; kept: number };
  /** timestamp only with --time-column. */
  violations: { index: number; rule: RuleId; timestamp?: string }[];
  /** Only with --alerts. */
  alerts?: AlertRow[];
}

export function analyzeSeries(points: Points, options: AnalyzeOptions): { result: AnalyzeResult; limits: ControlLimits } {
  const { values, lines } = points;
  if (values.length < 2) {
    throw new AnalyzeInputError(`need at least 2 points to chart, the file has ${values.length}`);
  }
  if (options.transform === 'log') {
    const bad = values.findIndex((value) => !(value > 0));
    if (bad >= 0)
      throw new AnalyzeInputError(`line ${lines[bad]}: ${values[bad]} cannot be charted with --transform log (values must be > 0)`);
  }
  const limits = chooseLimits(values, options);
  const hits = evaluateRules(values, limits, options.rules);
  const display = toDisplayLimits(limits);
  return {
    limits,
    result: {
      center: display.center,
      sigma: display.sigma,
      ucl: display.ucl,
      lcl: display.lcl,
      points: values.length,
      ...(options.clean && limits.n > 0
        ? { baseline: { points: Math.min(options.baseline ?? values.length, values.length), kept: limits.n } }
        : {}),
      violations: hits.map((hit) => ({
        index: hit.index + 1,
        rule: hit.rule,
        ...(points.times ? { timestamp: points.times[hit.index]! } : {}),
      })),
      ...(options.alerts ? { alerts: analyzeAlerts(points, options.alerts) } : {}),
    },
  };
}

function chooseLimits(values: number[], options: AnalyzeOptions): ControlLimits {
  const { center, sigmaValue, transform } = options;
  if (center !== undefined && sigmaValue !== undefined) {
    if (transform === 'log' && !(center > 0)) throw new AnalyzeInputError(`--center ${center} must be > 0 with --transform log`);
    return knownLimits(transform === 'log' ? Math.log(center) : center, sigmaValue, transform);
  }
  const baseline = options.baseline ?? values.length;
  if (baseline > values.length) {
    throw new AnalyzeInputError(`--baseline ${baseline} is more than the ${values.length} points in the file`);
  }
  const limits = estimateLimits(values.slice(0, baseline), { sigma: options.sigma, transform, clean: options.clean });
  if (limits.sigma === 0) {
    // Zero-width limits would flag every later difference, even a rounding one, as beyond 3σ.
    throw new AnalyzeInputError(
      `the ${limits.n} baseline points${options.clean ? ' kept by --clean' : ''} are all equal, so the estimated sigma is 0: give a longer --baseline, or known limits with --center and --sigma-value`,
    );
  }
  return limits;
}
