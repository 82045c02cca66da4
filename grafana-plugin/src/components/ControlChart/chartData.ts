import type { AlignedData } from 'uplot';
import { storedScale, zonesFromStoredLimits } from '@llmscope/spc';
import { sameLimits, type SampleTable, valueOrNull } from '../../data/sampleTable';
import type { LatencyAxis } from '../../types';

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
export function latencyRange(table: SampleTable, log = false): [number, number] {
  const { length, ok, latency, ucl, lcl } = table;
  let anyJudged = false;
  for (let i = 0; i < length && !anyJudged; i++) {
    anyJudged = ucl[i] === ucl[i];
  }
  // One pass over the typed columns: this reruns per data on ~100k samples. A log axis cannot
  // show zero or below (a negative LCL means nothing for latency), so those values count as
  // seen but do not widen it. NaN (missing) fails every comparison and is skipped.
  let lo = Infinity;
  let hi = -Infinity;
  let seen = false;
  for (let i = 0; i < length; i++) {
    const u = ucl[i];
    if (anyJudged && u !== u) {
      continue;
    }
    for (let k = 0; k < 3; k++) {
      const v = k === 0 ? (ok[i] === 1 ? latency[i] : NaN) : k === 1 ? u : lcl[i];
      if (v !== v) {
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
export function isLogAxis(table: SampleTable, axis: LatencyAxis): boolean {
  if (axis !== 'auto') {
    return axis === 'log';
  }
  const { center, ucl, lcl } = table;
  for (let i = 0; i < table.length; i++) {
    if (center[i] === center[i] && ucl[i] === ucl[i] && lcl[i] === lcl[i]) {
      return storedScale(center[i], ucl[i], lcl[i]) === 'log';
    }
  }
  return false;
}

/** The limit lines: centre, UCL, LCL and the four zone lines between them. */
const LIMIT_SERIES = [SERIES.center, SERIES.ucl, SERIES.lcl, SERIES.plus2, SERIES.plus1, SERIES.minus1, SERIES.minus2];

/**
 * Column-wise data for uPlot. Answered probes form the latency line; errors and timeouts
 * are kept out of it (their "latency" is a failure time) and drawn as separate points,
 * clamped into the visible range. `rows` picks the rows to draw (see rowsToDraw); all of
 * them when absent.
 *
 * The limits are step lines that change rarely: a row whose limits equal the previous row's
 * gets `undefined` in them, which uPlot skips (the step carries on) where `null` is a gap
 * (no limits in force). The last row keeps its values so the lines reach the end. Seven
 * step lines of every drawn row cost more canvas work than the rest of the chart.
 */
export function chartData(table: SampleTable, yRange: [number, number], rows?: readonly number[]): AlignedData {
  const n = rows ? rows.length : table.length;
  const cols = Array.from({ length: 10 }, () => new Array<number | null | undefined>(n).fill(null));
  const { time, ok, latency, center, ucl, lcl } = table;
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const row = rows ? rows[i] : i;
    cols[0][i] = time[row];
    const v = valueOrNull(latency[row]);
    cols[SERIES.latency][i] = ok[row] === 1 ? v : null;
    cols[SERIES.failed][i] = ok[row] === 1 || v === null ? null : Math.min(Math.max(v, yRange[0]), yRange[1]);
    const unchanged = previous >= 0 && i < n - 1 && sameLimits(table, row, previous);
    previous = row;
    if (unchanged) {
      for (const series of LIMIT_SERIES) {
        cols[series][i] = undefined;
      }
      continue;
    }
    const c = valueOrNull(center[row]);
    const u = valueOrNull(ucl[row]);
    const l = valueOrNull(lcl[row]);
    cols[SERIES.center][i] = c;
    cols[SERIES.ucl][i] = u;
    cols[SERIES.lcl][i] = l;
    const z = zonesFromStoredLimits(c, u, l);
    if (z) {
      cols[SERIES.plus2][i] = z.plus2;
      cols[SERIES.plus1][i] = z.plus1;
      cols[SERIES.minus1][i] = z.minus1;
      cols[SERIES.minus2][i] = z.minus2;
    }
  }
  return cols as unknown as AlignedData;
}
