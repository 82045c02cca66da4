// Centre, sigma and 3σ limits of values already in the charted scale.
import { CONTROL_LIMIT_SIGMAS } from './constants.js';
import { estimateSigma, mean } from './sigma.js';
import type { ControlLimits, SigmaMethod, Transform } from './types.js';

/** Limits of charted values (already transformed) by the given sigma method. */
export function limitsOfChartValues(chartValues: readonly number[], sigmaMethod: SigmaMethod, transform: Transform): ControlLimits {
  const center = mean(chartValues);
  const sigma = estimateSigma(chartValues, sigmaMethod);
  return {
    center,
    sigma,
    ucl: center + CONTROL_LIMIT_SIGMAS * sigma,
    lcl: center - CONTROL_LIMIT_SIGMAS * sigma,
    n: chartValues.length,
    sigmaMethod,
    transform,
  };
}
