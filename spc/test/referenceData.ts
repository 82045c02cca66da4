// Published data sets the tests check against, with where they were published.

/**
 * Chemical process concentration, 20 individual measurements.
 * Montgomery & Runger, Applied Statistics and Probability for Engineers (3rd ed., Wiley 2003),
 * Table 16-3 (§16-6, "Control charts for individual measurements"). Published results:
 * x̄ = 99.1, MR̄ = 2.59, UCL = 99.1 + 3·2.59/1.128 = 105.99, CL = 99.1, LCL = 92.21, and
 * "no indication of an out-of-control condition".
 * The same data drive Example 16-6, the tabular CUSUM with μ0 = 99, K = 1, H = 10 (Table 16-8).
 */
export const CONCENTRATION = [
  102.0, 94.8, 98.3, 98.4, 102.0, 98.5, 99.0, 97.7, 100.0, 98.1, 101.3, 98.7, 101.1, 98.4, 97.0, 96.7, 100.3, 101.4, 97.2, 101.0,
] as const;

/** Montgomery & Runger Table 16-8: upper CUSUM sH(i) = max(0, x_i − 100 + sH(i−1)) and lower sL(i) = max(0, 98 − x_i + sL(i−1)). */
export const CONCENTRATION_TABULAR_CUSUM = {
  upper: [2.0, 0.0, 0.0, 0.0, 2.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.3, 0.0, 1.1, 0.0, 0.0, 0.0, 0.3, 1.7, 0.0, 1.0],
  lower: [0.0, 3.2, 2.9, 2.5, 0.0, 0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.3, 0.0, 0.0, 0.8, 0.0],
} as const;

/**
 * Sixteen observations charted with qcc's `ewma()` as published in a worked answer
 * (homeworklib.com question 1911204, R output of `ewma(x, lambda = 0.1, nsigmas = 3, std.dev = 0.8)`):
 * centre 99.13187 (the mean of x), exact time-varying limits
 * [1] 98.89187 – 99.37187, [2] 98.80899 – 99.45476, [16] 98.59081 – 99.67294.
 */
export const QCC_EWMA_EXAMPLE = {
  x: [500, 500, 255, 106, 88.8, 35.9, 31.3, 17.5, 15.9, 10.3, 6.53, 6.09, 4.36, 3.63, 2.87, 1.93],
  center: 99.13187,
  sigma: 0.8,
  lambda: 0.1,
  nsigmas: 3,
  limits: { 1: [98.89187, 99.37187], 2: [98.80899, 99.45476], 16: [98.59081, 99.67294] } as Record<number, [number, number]>,
} as const;

/** Rounds to `digits` significant digits, the precision the tests compare published figures at. */
export function significant(value: number, digits = 4): number {
  return Number(value.toPrecision(digits));
}
