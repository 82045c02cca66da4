import type pg from 'pg';
import { windowLimits } from '@llmscope/spc';
import { neighbouringSamples, type SampleDetail } from '../store/seriesQueries.js';

/** Points on each side of the violation in its local window (the drawer's mini chart). */
export const WINDOW_POINTS = 30;

export interface WindowPoint {
  offset: number;
  id: number;
  ts: Date;
  latency_ms: number;
  is_violation: boolean;
}

export interface ViolationWindow {
  points: WindowPoint[];
  /** The window's own limits (mean ± 3·MR̄/d2); null with fewer than two points. */
  limits: { mean: number; sigma: number; ucl: number; lcl: number } | null;
}

/** Orders before/centre/after into one list with offsets −n…0…+n around the centre. */
export function aroundCentre<T>(before: T[], centre: T, after: T[]): { item: T; offset: number }[] {
  return [
    ...before.map((item, i) => ({ item, offset: i - before.length })),
    { item: centre, offset: 0 },
    ...after.map((item, i) => ({ item, offset: i + 1 })),
  ];
}

/**
 * The ±30 window around a violation's sample. It holds only successful probes besides the
 * violation's own sample: SPC never charted errors or timeouts, and they would distort the limits.
 */
export async function loadViolationWindow(pool: pg.Pool, sample: SampleDetail): Promise<ViolationWindow> {
  const { before, after } = await neighbouringSamples(pool, sample, WINDOW_POINTS, true);
  const points = aroundCentre(before, sample, after).map(({ item, offset }) => ({
    offset,
    id: item.id,
    ts: item.ts,
    latency_ms: item.latency_ms,
    is_violation: item.id === sample.id,
  }));
  const latencies = points.map((p) => p.latency_ms);
  return { points, limits: latencies.length >= 2 ? windowLimits(latencies) : null };
}
