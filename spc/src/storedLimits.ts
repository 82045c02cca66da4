// Zones and σ-distances rebuilt from limits stored in milliseconds (samples.spc_center,
// spc_ucl, spc_lcl). The collector stores limits back-transformed: with the `log` transform
// they are symmetric in ln(ms), so UCL/centre = centre/LCL; with `none` they are symmetric in
// ms. Which one a set is can be read off the limits themselves (docs/spc.md, "Log transform").
import { CONTROL_LIMIT_SIGMAS } from './constants.js';
import type { ControlLimits, DisplayLimits } from './types.js';

export type StoredScale = 'linear' | 'log';

/** The stored limits with their zone lines, in ms, and the scale they are symmetric in. */
export interface StoredZones extends Omit<DisplayLimits, 'sigma'> {
  scale: StoredScale;
}

/** Relative gap under which UCL − centre and centre − LCL count as equal (float noise of exp/ln). */
const SYMMETRY_TOLERANCE = 1e-6;

/** `log` when the limits are asymmetric around a positive centre and LCL, else `linear`. */
export function storedScale(center: number, ucl: number, lcl: number): StoredScale {
  const gap = Math.abs(ucl - center - (center - lcl));
  if (gap <= SYMMETRY_TOLERANCE * Math.max(1, Math.abs(center))) return 'linear';
  return lcl > 0 && center > 0 ? 'log' : 'linear';
}

const TO = { linear: (x: number) => x, log: Math.log };
const FROM = { linear: (x: number) => x, log: Math.exp };

/** The ±1σ and ±2σ lines of stored limits, in ms; null when any limit is missing. */
export function zonesFromStoredLimits(center: number | null, ucl: number | null, lcl: number | null): StoredZones | null {
  if (center === null || ucl === null || lcl === null) return null;
  const scale = storedScale(center, ucl, lcl);
  const c = TO[scale](center);
  const sigma = (TO[scale](ucl) - c) / CONTROL_LIMIT_SIGMAS;
  const line = (k: number) => FROM[scale](c + k * sigma);
  return { scale, center, ucl, lcl, plus1: line(1), minus1: line(-1), plus2: line(2), minus2: line(-2) };
}

/**
 * How many σ `valueMs` lies from the centre of stored limits, in their own scale (ln(ms) for
 * log). Null without limits, with σ = 0, or for a non-positive value on a log chart.
 */
export function deviationFromStoredLimits(
  valueMs: number | null,
  center: number | null,
  ucl: number | null,
  lcl: number | null,
): number | null {
  if (valueMs === null || center === null || ucl === null || lcl === null) return null;
  const scale = storedScale(center, ucl, lcl);
  if (scale === 'log' && !(valueMs > 0)) return null;
  const c = TO[scale](center);
  const sigma = (TO[scale](ucl) - c) / CONTROL_LIMIT_SIGMAS;
  return sigma > 0 ? (TO[scale](valueMs) - c) / sigma : null;
}

/** (value − centre) / σ in the charted scale of `limits` (ln(ms) for log); 0 when σ = 0. */
export function deviationInSigma(valueMs: number, limits: ControlLimits): number {
  const charted = limits.transform === 'log' ? Math.log(valueMs) : valueMs;
  return limits.sigma > 0 ? (charted - limits.center) / limits.sigma : 0;
}
