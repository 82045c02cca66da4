// EWMA detector (Roberts, 1959; Montgomery, Introduction to SQC, §9.2) on the charted scale:
//   z_i = λ·x_i + (1 − λ)·z_{i−1},  z_0 = centre,
//   limits centre ± L·σ·sqrt(λ/(2−λ)·(1 − (1−λ)^(2i)))   (exact, time-varying).
// Shared by the batch and the incremental evaluator so both do bit-identical arithmetic.
import type { EwmaConfig } from './types.js';

export interface EwmaDesign {
  center: number;
  lambda: number;
  keep: number; // 1 − λ
  widthFactor: number; // L·σ
  asymptoticHalfWidth: number;
  /** From this point on (1−λ)^(2i) ≤ 2^-54, so 1 − (1−λ)^(2i) rounds to 1 and the width is asymptotic. */
  stableFrom: number;
}

const NEGLIGIBLE = 2 ** -54;

export function ewmaDesign(center: number, sigma: number, config: EwmaConfig): EwmaDesign {
  const { lambda, L } = config;
  const keep = 1 - lambda;
  const widthFactor = L * sigma;
  return {
    center,
    lambda,
    keep,
    widthFactor,
    asymptoticHalfWidth: widthFactor * Math.sqrt(lambda / (2 - lambda)),
    stableFrom: firstNegligibleIndex(keep),
  };
}

function firstNegligibleIndex(keep: number): number {
  if (keep === 0) return 1;
  let i = Math.max(1, Math.floor(Math.log(NEGLIGIBLE) / (2 * Math.log(keep))) - 2);
  while (Math.pow(keep, 2 * i) > NEGLIGIBLE) i++;
  return i;
}

/** Half-width of the EWMA limits at the i-th point (1-based). */
export function ewmaHalfWidth(design: EwmaDesign, i: number): number {
  if (i >= design.stableFrom) return design.asymptoticHalfWidth;
  const lambda = design.lambda;
  return design.widthFactor * Math.sqrt((lambda / (2 - lambda)) * (1 - Math.pow(design.keep, 2 * i)));
}

export function ewmaNext(design: EwmaDesign, previous: number, z: number): number {
  return design.lambda * z + design.keep * previous;
}

/** Whether the statistic at the i-th point lies strictly beyond its limits. */
export function ewmaOutside(design: EwmaDesign, statistic: number, i: number): boolean {
  const halfWidth = ewmaHalfWidth(design, i);
  return statistic > design.center + halfWidth || statistic < design.center - halfWidth;
}
