// The computation behind `llmscope analyze`: limits (estimated or known), every enabled rule,
// and the JSON-shaped result. Pure, so it is tested without a subprocess.
import {
  estimateLimits, evaluateRules, knownLimits, toDisplayLimits,
  type ControlLimits, type RuleConfig, type RuleId, type SigmaMethod, type Transform,
} from '@llmscope/spc';
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
}

/** What --json prints. Centre, sigma and limits are in the file's unit (back-transformed for 'log'). */
export interface AnalyzeResult {
  center: number;
  sigma: number;
  ucl: number;
  lcl: number;
  points: number;
  violations: { index: number; rule: RuleId }[];
}

export function analyzeSeries(points: Points, options: AnalyzeOptions): { result: AnalyzeResult; limits: ControlLimits } {
  const { values, lines } = points;
  if (values.length < 2) {
    throw new AnalyzeInputError(`need at least 2 points to chart, the file has ${values.length}`);
  }
  if (options.transform === 'log') {
    const bad = values.findIndex((value) => !(value > 0));
    if (bad >= 0) throw new AnalyzeInputError(`line ${lines[bad]}: ${values[bad]} cannot be charted with --transform log (values must be > 0)`);
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
      violations: hits.map((hit) => ({ index: hit.index + 1, rule: hit.rule })),
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
  return estimateLimits(values.slice(0, baseline), { sigma: options.sigma, transform, clean: options.clean });
}
