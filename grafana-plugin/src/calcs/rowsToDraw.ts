import { sameLimits, type SampleTable } from '../data/sampleTable';

/**
 * The rows the chart has to draw so that the picture is the same as drawing every row.
 *
 * A week of probes is ~100k points on ~1 000 pixel columns: drawing them all costs seconds
 * of canvas work for nothing a reader can see. Per pixel column this keeps the first, last,
 * lowest and highest answered probe (the M4 reduction, exact for a line chart) and the
 * lowest and highest failed probe; it keeps every row in `keep` (the violation points),
 * and every row where a limit changes together with the row before it, so the stepped
 * limit lines stay exact. Returns null when there are too few rows for thinning to pay
 * (every row is drawn).
 */
export function rowsToDraw(
  table: SampleTable,
  xRange: readonly [number, number],
  columns: number,
  keep: Iterable<number>
): number[] | null {
  const n = table.length;
  const { time, ok, latency } = table;
  const [from, to] = xRange;
  const columnWidth = (to - from) / columns;
  if (n <= 2 * columns || !(columnWidth > 0) || !Number.isFinite(columnWidth)) {
    return null;
  }
  const marked = new Uint8Array(n);
  for (const row of keep) {
    if (row >= 0 && row < n) {
      marked[row] = 1;
    }
  }
  let column = NaN;
  let first = -1;
  let last = -1;
  let low = -1;
  let high = -1;
  let failedLow = -1;
  let failedHigh = -1;
  const mark = (row: number) => {
    if (row >= 0) {
      marked[row] = 1;
    }
  };
  const flush = () => {
    mark(first);
    mark(last);
    mark(low);
    mark(high);
    mark(failedLow);
    mark(failedHigh);
    first = last = low = high = failedLow = failedHigh = -1;
  };
  for (let row = 0; row < n; row++) {
    const c = Math.floor((time[row] - from) / columnWidth);
    if (c !== column) {
      flush();
      column = c;
    }
    if (row > 0 && !sameLimits(table, row, row - 1)) {
      marked[row - 1] = 1;
      marked[row] = 1;
    }
    const v = latency[row];
    if (v !== v) {
      continue;
    }
    if (ok[row] === 1) {
      if (first < 0) {
        first = row;
      }
      last = row;
      if (low < 0 || v < latency[low]) {
        low = row;
      }
      if (high < 0 || v > latency[high]) {
        high = row;
      }
    } else {
      if (failedLow < 0 || v < latency[failedLow]) {
        failedLow = row;
      }
      if (failedHigh < 0 || v > latency[failedHigh]) {
        failedHigh = row;
      }
    }
  }
  flush();
  marked[0] = 1;
  marked[n - 1] = 1;
  const rows: number[] = [];
  for (let row = 0; row < n; row++) {
    if (marked[row] === 1) {
      rows.push(row);
    }
  }
  return rows;
}
