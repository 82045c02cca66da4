import type { AlignedData } from 'uplot';
import { storedScale, zonesFromStoredLimits } from '@llmscope/spc';
import type { LatencyAxis, Sample } from '../../types';

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

/** Head room above and below the plotted values, as a share of their span. */
const Y_PADDING = 0.08;

/**
 * The latency axis spans the control limits and the answered probes judged against them.
 * Timeouts sit at the client's limit and a cold start before the first limits can be ten
 * times the normal latency: letting either set the axis would flatten the process into a
 * line at the bottom. Failed probes are pinned to the top edge; early points leave the top.
 */
export function latencyRange(samples: readonly Sample[], log = false): [number, number] {
  const anyJudged = samples.some((s) => s.ucl !== null);
  // One pass with no copies and no call per value: a long range holds ~100k samples and this
  // reruns per data. A log axis cannot show zero or below (a negative LCL means nothing for
  // latency), so those values count as seen but do not widen it.
  let lo = Infinity;
  let hi = -Infinity;
  let seen = false;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (anyJudged && s.ucl === null) {
      continue;
    }
    const latency = s.status === 'ok' ? s.latencyMs : null;
    for (let k = 0; k < 3; k++) {
      const v = k === 0 ? latency : k === 1 ? s.ucl : s.lcl;
      if (v === null) {
        continue;
      }
      seen = true;
      if (!log || v > 0) {
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
      }
    }
  }
  if (!seen) {
    return [0, 1];
  }
  if (log) {
    if (lo === Infinity) {
      return [1, 10];
    }
    const factor = Math.pow(hi / lo, Y_PADDING) || 1.1;
    return [lo / factor, hi * factor];
  }
  const pad = (hi - lo || Math.abs(hi) || 1) * Y_PADDING;
  return [Math.max(0, lo - pad), hi + pad];
}

/** Whether the latency axis is logarithmic: forced by the option, or following the limits. */
export function isLogAxis(samples: readonly Sample[], axis: LatencyAxis): boolean {
  if (axis !== 'auto') {
    return axis === 'log';
  }
  const s = samples.find((x) => x.center !== null && x.ucl !== null && x.lcl !== null);
  return s !== undefined && s.center !== null && s.ucl !== null && s.lcl !== null && storedScale(s.center, s.ucl, s.lcl) === 'log';
}

/**
 * Column-wise data for uPlot. Answered probes form the latency line; errors and timeouts
 * are kept out of it (their "latency" is a failure time) and drawn as separate points,
 * clamped into the visible range. `rows` picks the rows to draw (see rowsToDraw); all of
 * them when absent.
 */
export function chartData(samples: readonly Sample[], yRange: [number, number], rows?: readonly number[]): AlignedData {
  const n = rows ? rows.length : samples.length;
  const cols = Array.from({ length: 10 }, () => new Array<number | null>(n).fill(null));
  for (let i = 0; i < n; i++) {
    const s = samples[rows ? rows[i] : i];
    cols[0][i] = s.time;
    const ok = s.status === 'ok';
    cols[SERIES.latency][i] = ok ? s.latencyMs : null;
    cols[SERIES.failed][i] = ok || s.latencyMs === null ? null : Math.min(Math.max(s.latencyMs, yRange[0]), yRange[1]);
    cols[SERIES.center][i] = s.center;
    cols[SERIES.ucl][i] = s.ucl;
    cols[SERIES.lcl][i] = s.lcl;
    const z = zonesFromStoredLimits(s.center, s.ucl, s.lcl);
    if (z) {
      cols[SERIES.plus2][i] = z.plus2;
      cols[SERIES.plus1][i] = z.plus1;
      cols[SERIES.minus1][i] = z.minus1;
      cols[SERIES.minus2][i] = z.minus2;
    }
  }
  return cols as unknown as AlignedData;
}
