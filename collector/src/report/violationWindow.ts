import type pg from 'pg';
import { WINDOW_POINTS } from '@llmscope/contract';
import { windowLimits } from '@llmscope/spc';
import { neighbouringSamples, type SampleDetail } from '../store/seriesQueries.js';

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
 * The ±WINDOW_POINTS window around a violation's sample: that many ok samples on each side plus
 * the violation's own sample, the rule @llmscope/contract states (window.ts) and the panel follows.
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
