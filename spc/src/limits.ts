// Individuals-chart limits: estimated from a baseline, given as known values, or
// back-transformed for display.
import { cleanBaseline } from './baseline.js';
import { limitsOfChartValues } from './chartLimits.js';
import { CONTROL_LIMIT_SIGMAS, D2_MOVING_RANGE } from './constants.js';
import { isSigmaMethod, mean, movingRanges } from './sigma.js';
import { fromChartScale, isTransform, toChartScale } from './transform.js';
import type { ControlLimits, DisplayLimits, SigmaMethod, Transform } from './types.js';

export interface EstimateOptions {
  /** Default 'mr' (mean moving range / d2). */
  sigma?: SigmaMethod;
  /** Default 'none'. */
  transform?: Transform;
  /** Phase I exclusion: drop points beyond 3 sigma once and recompute. Default false. */
  clean?: boolean;
}

/** Limits of a baseline given in original units; the transform is applied inside. */
export function estimateLimits(values: readonly number[], opts: EstimateOptions = {}): ControlLimits {
  const sigmaMethod = opts.sigma ?? 'mr';
  const transform = opts.transform ?? 'none';
  if (!isSigmaMethod(sigmaMethod)) throw new RangeError(`sigma method must be mr, mmr or sd, got ${String(sigmaMethod)}`);
  if (!isTransform(transform)) throw new RangeError(`transform must be none or log, got ${String(transform)}`);
  if (values.length < 2) throw new RangeError(`estimating limits needs at least 2 points, got ${values.length}`);
  const chartValues = values.map((value, index) => {
    try {
      return toChartScale(value, transform);
    } catch (error) {
      throw new RangeError(`point ${index + 1}: ${(error as Error).message}`);
    }
  });
  const firstPass = limitsOfChartValues(chartValues, sigmaMethod, transform);
  const limits = opts.clean ? cleanBaseline(chartValues, firstPass) : firstPass;
  if (!Number.isFinite(limits.ucl) || !Number.isFinite(limits.lcl)) {
    throw new RangeError('the values are too large to estimate limits from (the estimate overflowed); rescale them first');
  }
  return limits;
}

/** Limits from a known centre and sigma, both in the charted scale. */
export function knownLimits(center: number, sigma: number, transform: Transform = 'none'): ControlLimits {
  if (!Number.isFinite(center)) throw new RangeError(`centre must be a finite number, got ${center}`);
  if (!Number.isFinite(sigma) || sigma < 0) throw new RangeError(`sigma must be a finite number >= 0, got ${sigma}`);
  if (!isTransform(transform)) throw new RangeError(`transform must be none or log, got ${String(transform)}`);
  return {
    center,
    sigma,
    ucl: center + CONTROL_LIMIT_SIGMAS * sigma,
    lcl: center - CONTROL_LIMIT_SIGMAS * sigma,
    n: 0,
    sigmaMethod: 'mr',
    transform,
  };
}

/**
 * The lines in the original unit. With 'log' each line is exp() of its charted value, so the
 * band is asymmetric; `sigma` is then half the width of the back-transformed ±1σ band.
 */
export function toDisplayLimits(limits: ControlLimits): DisplayLimits {
  const { center: c, sigma: s, transform: t } = limits;
  const plus1 = fromChartScale(c + s, t);
  const minus1 = fromChartScale(c - s, t);
  return {
    center: fromChartScale(c, t),
    sigma: t === 'log' ? (plus1 - minus1) / 2 : s,
    ucl: fromChartScale(limits.ucl, t),
    lcl: fromChartScale(limits.lcl, t),
    plus1,
    minus1,
    plus2: fromChartScale(c + 2 * s, t),
    minus2: fromChartScale(c - 2 * s, t),
  };
}

/** A context window's own limits (the drawer's ±30-point mini chart): mean ± 3·MR̄/d2, no transform. */
export function windowLimits(values: readonly number[]): { mean: number; sigma: number; ucl: number; lcl: number } {
  if (values.length === 0) throw new RangeError('window limits need at least 1 point');
  const center = mean(values);
  const sigma = values.length < 2 ? 0 : mean(movingRanges(values)) / D2_MOVING_RANGE;
  return { mean: center, sigma, ucl: center + CONTROL_LIMIT_SIGMAS * sigma, lcl: center - CONTROL_LIMIT_SIGMAS * sigma };
}
