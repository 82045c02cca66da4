// Tabular CUSUM (Page, 1954; Montgomery, Introduction to SQC, §9.1) on the charted scale,
// with k and h in sigma units (K = kσ, H = hσ):
//   C⁺_i = max(0, x_i − (μ0 + K) + C⁺_{i−1}),  C⁻_i = max(0, (μ0 − K) − x_i + C⁻_{i−1}),  C_0 = 0;
//   a point signals when C⁺_i > H or C⁻_i > H.
// Convention (Montgomery; Montgomery & Runger, Example 16-6): after a signal one searches for the
// assignable cause, acts, and *then* restarts the sums at zero. The detector therefore never
// resets itself: every point is flagged while a sum stays above H, and the restart is the
// re-baseline (a new evaluator starts at zero).
import type { CusumConfig } from './types.js';

export interface CusumDesign {
  upperReference: number; // μ0 + K
  lowerReference: number; // μ0 − K
  decisionInterval: number; // H
}

export function cusumDesign(center: number, sigma: number, config: CusumConfig): CusumDesign {
  return {
    upperReference: center + config.k * sigma,
    lowerReference: center - config.k * sigma,
    decisionInterval: config.h * sigma,
  };
}

export function cusumUpperNext(design: CusumDesign, previous: number, z: number): number {
  return positivePart(z - design.upperReference + previous);
}

export function cusumLowerNext(design: CusumDesign, previous: number, z: number): number {
  return positivePart(design.lowerReference - z + previous);
}

/**
 * max(0, x) as (x + |x|)/2: exact for every finite x below ~9e307 (doubling and halving are
 * exact), and free of a branch, which matters because a sum hovering at zero makes a branch a
 * coin flip. The incremental evaluator inlines the same expression.
 */
function positivePart(x: number): number {
  return (x + Math.abs(x)) * 0.5;
}

export function cusumSignals(design: CusumDesign, upper: number, lower: number): boolean {
  return upper > design.decisionInterval || lower > design.decisionInterval;
}
