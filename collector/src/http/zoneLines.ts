/**
 * Samples store the limits in force in milliseconds (centre, UCL, LCL), already
 * back-transformed. With the `log` transform they are symmetric in ln(ms), so UCL/centre =
 * centre/LCL; with `none` they are symmetric in ms. The zone lines and a point's distance in
 * sigmas are rebuilt in whichever scale the stored limits are symmetric in.
 */
export interface ZoneLines {
  center: number;
  ucl: number;
  lcl: number;
  plus1: number;
  minus1: number;
  plus2: number;
  minus2: number;
}

interface Scale {
  to(ms: number): number;
  from(charted: number): number;
}

const LINEAR: Scale = { to: (x) => x, from: (x) => x };
const LOG: Scale = { to: Math.log, from: Math.exp };
const RELATIVE_TOLERANCE = 1e-6;

function scaleOf(center: number, ucl: number, lcl: number): Scale {
  const linearGap = Math.abs(ucl - center - (center - lcl));
  if (linearGap <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(ucl))) return LINEAR;
  if (lcl > 0 && center > 0) return LOG;
  return LINEAR;
}

export function zoneLines(center: number | null, ucl: number | null, lcl: number | null): ZoneLines | null {
  if (center === null || ucl === null || lcl === null) return null;
  const scale = scaleOf(center, ucl, lcl);
  const c = scale.to(center);
  const sigma = (scale.to(ucl) - c) / 3;
  return {
    center,
    ucl,
    lcl,
    plus1: scale.from(c + sigma),
    minus1: scale.from(c - sigma),
    plus2: scale.from(c + 2 * sigma),
    minus2: scale.from(c - 2 * sigma),
  };
}

/** How many sigmas `value` lies from the centre, in the limits' own scale; null without limits. */
export function deviationSigma(value: number, center: number | null, ucl: number | null, lcl: number | null): number | null {
  if (center === null || ucl === null || lcl === null) return null;
  const scale = scaleOf(center, ucl, lcl);
  if (scale === LOG && !(value > 0)) return null;
  const c = scale.to(center);
  const sigma = (scale.to(ucl) - c) / 3;
  return sigma > 0 ? (scale.to(value) - c) / sigma : null;
}
