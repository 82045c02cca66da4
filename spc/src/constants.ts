// Control-chart constants, each named once and cited, so no formula carries a bare number.

/**
 * d2 for moving ranges of span 2: the expected range of two independent N(0,1) draws,
 * 2/sqrt(pi) = 1.128 to the precision the tables print.
 * Montgomery, Introduction to Statistical Quality Control, Appendix VI (n = 2);
 * NIST/SEMATECH e-Handbook 6.3.2.2 (individuals charts).
 */
export const D2_MOVING_RANGE = 1.128;

/**
 * Divisor that turns the median moving range (span 2) into an estimate of sigma.
 * JMP documentation, "Control Limits for Individual Measurement and Moving Range Charts":
 * sigma = MMR / 0.954.
 */
export const MEDIAN_MOVING_RANGE_DIVISOR = 0.954;

/** Width of the control limits in sigmas (Shewhart's three-sigma limits). */
export const CONTROL_LIMIT_SIGMAS = 3;

/** Default run lengths of the Nelson rules (Nelson, 1984, Journal of Quality Technology 16(4)). */
export const DEFAULT_RUN_LENGTHS = Object.freeze({
  R2: 9, // nine points in a row on one side of the centre line
  R3: 6, // six points in a row steadily increasing or decreasing (five rises or falls)
  R4: 14, // fourteen points in a row alternating up and down
  R7: 15, // fifteen points in a row within one sigma
  R8: 8, // eight points in a row beyond one sigma, on both sides
});

/** Western Electric rule 4 (Western Electric Statistical Quality Control Handbook, 1956): eight in a row on one side. */
export const WE4_RUN_LENGTH = 8;

/**
 * The bias-correction factor c4(n) for the sample standard deviation of n normal draws:
 * E[s] = c4(n)·sigma, c4(n) = sqrt(2/(n-1))·Γ(n/2)/Γ((n-1)/2).
 * Montgomery, Appendix VI, tabulates c4(2) = 0.7979, c4(5) = 0.9400, c4(10) = 0.9727, c4(25) = 0.9896.
 */
export function c4(n: number): number {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`c4(n) needs an integer n >= 2, got ${n}`);
  return Math.sqrt(2 / (n - 1)) * Math.exp(logGamma(n / 2) - logGamma((n - 1) / 2));
}

// Lanczos approximation (g = 7, nine coefficients), accurate to ~15 digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}
