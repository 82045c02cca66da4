// The effect size an alert reports and is gated on: the relative change of the median latency
// of the points that built the detector's evidence. Order statistics are taken on the side that
// understates the change, so a single outlier cannot make a small shift look large.

/** The lower median (for n = 2, the smaller point). */
export function lowerMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

/** The upper median (for n = 2, the larger point). */
export function upperMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/**
 * The lower tercile (order statistic ⌈n/3⌉; for n ≤ 3 the smallest point): a critical alert
 * needs two thirds of its evidence above the critical shift, so two spikes among three probes
 * do not page while a ×2 step does at its second probe.
 */
export function lowerTercile(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length / 3) - 1)]!;
}

/** A change in ln units as a relative change of the median: +0.31 is "31 % slower". */
export function relativeChange(lnShift: number): number {
  return Math.expm1(lnShift);
}
