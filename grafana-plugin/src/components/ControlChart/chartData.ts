import type { AlignedData } from 'uplot';
import { zoneLines } from '../../calcs/zones';
import type { Sample } from '../../types';

/** Positions of each series in the aligned data handed to uPlot (0 is time). */
export const SERIES = {
  latency: 1,
  failed: 2,
  center: 3,
  ucl: 4,
  lcl: 5,
  plus2: 6,
  plus1: 7,
  minus1: 8,
  minus2: 9,
} as const;

/**
 * Column-wise data for uPlot. Answered probes form the latency line; errors and timeouts
 * are kept out of it (their "latency" is a failure time) and drawn as separate points.
 */
export function chartData(samples: readonly Sample[]): AlignedData {
  const n = samples.length;
  const cols = Array.from({ length: 10 }, () => new Array<number | null>(n).fill(null));
  samples.forEach((s, i) => {
    cols[0][i] = s.time;
    const ok = s.status === 'ok';
    cols[SERIES.latency][i] = ok ? s.latencyMs : null;
    cols[SERIES.failed][i] = ok ? null : s.latencyMs;
    cols[SERIES.center][i] = s.center;
    cols[SERIES.ucl][i] = s.ucl;
    cols[SERIES.lcl][i] = s.lcl;
    if (s.center !== null && s.ucl !== null && s.lcl !== null) {
      const z = zoneLines(s.center, s.ucl, s.lcl);
      cols[SERIES.plus2][i] = z.plus2;
      cols[SERIES.plus1][i] = z.plus1;
      cols[SERIES.minus1][i] = z.minus1;
      cols[SERIES.minus2][i] = z.minus2;
    }
  });
  return cols as unknown as AlignedData;
}
