// The horizontal lines every zone rule compares against, computed once per set of limits so
// the batch and incremental evaluators compare against bit-identical numbers.
import type { ControlLimits } from '../types.js';

export interface ZoneLines {
  center: number;
  plus1: number;
  minus1: number;
  plus2: number;
  minus2: number;
  ucl: number;
  lcl: number;
}

export function zoneLines(limits: ControlLimits): ZoneLines {
  const { center, sigma } = limits;
  return {
    center,
    plus1: center + sigma,
    minus1: center - sigma,
    plus2: center + 2 * sigma,
    minus2: center - 2 * sigma,
    ucl: limits.ucl,
    lcl: limits.lcl,
  };
}
