import { CONTEXT_POINTS, selectWindow, WINDOW_POINTS } from '@llmscope/contract';
import { windowLimits } from '@llmscope/spc';
import type { SampleTable } from '../data/sampleTable';
import type { Sample } from '../types';

/** Samples of any status either side of a violation in the drawer's context table. */
export const CONTEXT_RADIUS = CONTEXT_POINTS;
/** Ok samples either side of a violation in the drawer's mini chart. */
export const MINI_CHART_RADIUS = WINDOW_POINTS;

export interface SampleWindow {
  rows: Sample[];
  /** Position of the violating sample inside `rows`. */
  focus: number;
}

function pick(table: SampleTable, index: number, radius: number, include?: (index: number) => boolean): SampleWindow {
  // selectWindow walks a series by index; the table's indices are that series, and only the
  // few rows picked become Sample objects.
  const series = Array.from({ length: table.length }, (_, i) => i);
  const { indices, focus } = selectWindow(series, index, radius, include);
  return { rows: indices.map((i) => table.at(i)), focus };
}

/** The samples within `radius` of `index`, clipped at the series ends. */
export function windowAround(table: SampleTable, index: number, radius: number): SampleWindow {
  return pick(table, index, radius);
}

export interface MiniChartData extends SampleWindow {
  /** That window's own limits, independent of the series' frozen ones. */
  limits: { mean: number; sigma: number; ucl: number; lcl: number } | null;
}

/**
 * The ±30 window by @llmscope/contract's rule, as the collector's API and PDF report draw it:
 * 30 ok samples on each side plus the violation's own sample, and that window's mean/UCL/LCL.
 * A failed probe's "latency" is a failure time, so failed probes are skipped, not counted.
 */
export function miniChartData(table: SampleTable, index: number): MiniChartData {
  const window = pick(table, index, MINI_CHART_RADIUS, (i) => table.ok[i] === 1);
  const values = window.rows.map((s) => s.latencyMs).filter((v): v is number => v !== null);
  return { ...window, limits: values.length >= 2 ? windowLimits(values) : null };
}
