// The three sigma estimators of an individuals chart, on values already in the charted scale.
import { c4, D2_MOVING_RANGE, MEDIAN_MOVING_RANGE_DIVISOR } from './constants.js';
import type { SigmaMethod } from './types.js';

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** |x[i] - x[i-1]| for consecutive entries of the given sequence. */
export function movingRanges(values: ArrayLike<number>): number[] {
  const ranges: number[] = [];
  for (let i = 1; i < values.length; i++) ranges.push(Math.abs(values[i]! - values[i - 1]!));
  return ranges;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Sigma of at least two charted values by the chosen method. */
export function estimateSigma(values: ArrayLike<number>, method: SigmaMethod): number {
  if (values.length < 2) throw new RangeError(`estimating sigma needs at least 2 points, got ${values.length}`);
  switch (method) {
    case 'mr':
      return mean(movingRanges(values)) / D2_MOVING_RANGE;
    case 'mmr':
      return median(movingRanges(values)) / MEDIAN_MOVING_RANGE_DIVISOR;
    case 'sd': {
      const m = mean(values);
      let squares = 0;
      for (let i = 0; i < values.length; i++) squares += (values[i]! - m) ** 2;
      return Math.sqrt(squares / (values.length - 1)) / c4(values.length);
    }
  }
}

export function isSigmaMethod(value: unknown): value is SigmaMethod {
  return value === 'mr' || value === 'mmr' || value === 'sd';
}
