import { windowLimits } from '@llmscope/spc';
import type { Sample } from '../types';

/** Points either side of a violation in the drawer's context table (roadmap 1.2). */
export const CONTEXT_RADIUS = 10;
/** Points either side of a violation in the drawer's mini chart (roadmap 1.3). */
export const MINI_CHART_RADIUS = 30;

export interface SampleWindow {
  rows: Sample[];
  /** Position of the violating sample inside `rows`. */
  focus: number;
}

/** The samples within `radius` of `index`, clipped at the series ends. */
export function windowAround(samples: readonly Sample[], index: number, radius: number): SampleWindow {
  const start = Math.max(0, index - radius);
  const end = Math.min(samples.length, index + radius + 1);
  return { rows: samples.slice(start, end), focus: index - start };
}

export interface MiniChartData extends SampleWindow {
  /** That window's own limits, independent of the series' frozen ones. */
  limits: { mean: number; sigma: number; ucl: number; lcl: number } | null;
}

/**
 * The ±30 window and its own mean/UCL/LCL, from the answered probes in it: an error's or a
 * timeout's "latency" is a failure time and stays out of limits, as in the collector.
 */
export function miniChartData(samples: readonly Sample[], index: number): MiniChartData {
  const window = windowAround(samples, index, MINI_CHART_RADIUS);
  const values = window.rows
    .filter((s) => s.status === 'ok')
    .map((s) => s.latencyMs)
    .filter((v): v is number => v !== null);
  return { ...window, limits: values.length >= 2 ? windowLimits(values) : null };
}
