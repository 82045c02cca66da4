import type { Sample } from '../types';

/**
 * The samples of the chart as typed columns, one entry per sample in time order. A week of
 * probes is ~100k rows: the chart, the axis, the thinning, the summary and the violation
 * lookup read these columns by index, so no object is built per row (docs/performance.md,
 * "Panel and built-in viewer"). A missing value is NaN; a column the query lacks is all NaN.
 * The full Sample (strings, telemetry) is built on demand for the few rows a reader looks at:
 * the drawer, the tooltip, the visible list rows and the export.
 */
export interface SampleTable {
  readonly length: number;
  readonly time: Float64Array;
  readonly id: Float64Array;
  readonly latency: Float64Array;
  /** 1 where the probe was answered (status 'ok'): failed probes are not part of the process. */
  readonly ok: Uint8Array;
  readonly center: Float64Array;
  readonly ucl: Float64Array;
  readonly lcl: Float64Array;
  /**
   * The throughput columns, read from the frame on first call and kept: only the summary card
   * needs them, and it renders after the chart's first paint (docs/architecture.md).
   */
  throughput(): ThroughputColumns;
  /** The sample at `index` (0 ≤ index < length), built once and kept. */
  at(index: number): Sample;
}

export interface ThroughputColumns {
  readonly tokensPerSecond: Float64Array;
  readonly evalCount: Float64Array;
  readonly evalDuration: Float64Array;
}

export type SampleColumns = Omit<SampleTable, 'at' | 'throughput'>;

/**
 * A table over the given columns; `build` makes the Sample of one index when it is first
 * asked for, `readThroughput` the throughput columns.
 */
export function createSampleTable(
  columns: SampleColumns,
  build: (index: number) => Sample,
  readThroughput: () => ThroughputColumns
): SampleTable {
  const built = new Map<number, Sample>();
  let throughput: ThroughputColumns | undefined;
  return {
    ...columns,
    throughput() {
      throughput ??= readThroughput();
      return throughput;
    },
    at(index) {
      if (!Number.isInteger(index) || index < 0 || index >= columns.length) {
        throw new RangeError(`sample ${index} is outside the table (0…${columns.length - 1})`);
      }
      let sample = built.get(index);
      if (sample === undefined) {
        sample = build(index);
        built.set(index, sample);
      }
      return sample;
    },
  };
}

const NONE = new Float64Array(0);

/** The table of a panel without samples (its message is shown instead of the chart). */
export const EMPTY_TABLE: SampleTable = createSampleTable(
  {
    length: 0,
    time: NONE,
    id: NONE,
    latency: NONE,
    ok: new Uint8Array(0),
    center: NONE,
    ucl: NONE,
    lcl: NONE,
  },
  (index) => {
    throw new RangeError(`sample ${index} of an empty table`);
  },
  () => ({ tokensPerSecond: NONE, evalCount: NONE, evalDuration: NONE })
);

/**
 * Whether rows `a` and `b` have the same control limits in force. NaN marks a missing limit:
 * two missing limits are the same (no change), unlike NaN !== NaN.
 */
export function sameLimits({ center, ucl, lcl }: SampleTable, a: number, b: number): boolean {
  const same = (x: number, y: number) => x === y || (x !== x && y !== y);
  return same(center[a], center[b]) && same(ucl[a], ucl[b]) && same(lcl[a], lcl[b]);
}

/** null for NaN, the table's mark for a missing value. */
export function valueOrNull(value: number): number | null {
  return value === value ? value : null;
}
