/**
 * Zone lines and σ-distances from the limits stored with each sample (in ms).
 *
 * The collector charts ln(latency) by default and back-transforms its limits, so UCL and LCL
 * sit asymmetrically around the centre. Symmetric limits mean a linear chart: zones are
 * centre ± k·(UCL − centre)/3. Asymmetric positive limits mean a log chart: zones are
 * centre · (UCL/centre)^(k/3) above and centre · (LCL/centre)^(k/3) below, which is
 * exp(ln centre ± k·σ) exactly.
 */
export interface ZoneLines {
  plus1: number;
  plus2: number;
  minus1: number;
  minus2: number;
}

/** Relative tolerance under which UCL − centre and centre − LCL count as equal. */
const SYMMETRY_TOLERANCE = 1e-6;

export function isLogScaled(center: number, ucl: number, lcl: number): boolean {
  const up = ucl - center;
  const down = center - lcl;
  return lcl > 0 && center > 0 && Math.abs(up - down) > SYMMETRY_TOLERANCE * Math.max(Math.abs(center), 1);
}

export function zoneLines(center: number, ucl: number, lcl: number): ZoneLines {
  if (isLogScaled(center, ucl, lcl)) {
    const up = (k: number) => center * Math.pow(ucl / center, k / 3);
    const down = (k: number) => center * Math.pow(lcl / center, k / 3);
    return { plus1: up(1), plus2: up(2), minus1: down(1), minus2: down(2) };
  }
  const sigma = (ucl - center) / 3;
  return { plus1: center + sigma, plus2: center + 2 * sigma, minus1: center - sigma, minus2: center - 2 * sigma };
}

/**
 * How many σ a value lies from the centre, in the charted scale. Returns null when the
 * limits needed for it are missing or degenerate (σ = 0).
 */
export function deviationSigma(
  value: number | null,
  center: number | null,
  ucl: number | null,
  lcl: number | null,
  sigma: number | null
): number | null {
  if (value === null || center === null) {
    return null;
  }
  if (ucl !== null && lcl !== null) {
    if (isLogScaled(center, ucl, lcl)) {
      const logSigma = Math.log(ucl / center) / 3;
      return value > 0 && logSigma > 0 ? Math.log(value / center) / logSigma : null;
    }
    const linearSigma = (ucl - center) / 3;
    return linearSigma > 0 ? (value - center) / linearSigma : null;
  }
  return sigma !== null && sigma > 0 ? (value - center) / sigma : null;
}
