// Phase I cleaning: one timeout in a 100-point baseline inflates sigma several times, so
// points beyond the first-pass 3σ limits are dropped once and the limits recomputed.
import type { ControlLimits } from './types.js';
import { limitsOfChartValues } from './chartLimits.js';

/** Points of the charted baseline that lie within the given limits (strict "beyond" excludes). */
export function pointsWithinLimits(chartValues: readonly number[], limits: ControlLimits): number[] {
  return chartValues.filter((z) => !(z > limits.ucl || z < limits.lcl));
}

/**
 * Removes points beyond 3σ once and recomputes. Moving ranges are then taken between the
 * neighbours that remain (the kept points are treated as one consecutive series).
 * When fewer than 2 points would remain, the first-pass limits are kept: there is nothing
 * cleaner to estimate from.
 */
export function cleanBaseline(chartValues: readonly number[], firstPass: ControlLimits): ControlLimits {
  const kept = pointsWithinLimits(chartValues, firstPass);
  if (kept.length === chartValues.length || kept.length < 2) return firstPass;
  return limitsOfChartValues(kept, firstPass.sigmaMethod, firstPass.transform);
}
