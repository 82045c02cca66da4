// A two-series data set with violation episodes of every severity, shared by the API tests.
import type pg from 'pg';
import { insertSamples, insertViolation, seriesSamples } from './fixtures.js';

export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const STEP_MS = 30_000;
export const SERIES_A = { target: 'local', model: 'llama3.2:1b', probe: 'short' };
export const SERIES_B = { target: 'gpu-box', model: 'qwen2.5:7b', probe: 'short' };

export interface PlannedViolation {
  series: 'A' | 'B';
  index: number;
  rule: string;
  severity: 'critical' | 'warning' | 'info';
  points?: number;
  acknowledged?: boolean;
  note?: string;
}

/** Both series share timestamps, so keyset pagination must break ties by id. */
export const PLANNED: readonly PlannedViolation[] = [
  { series: 'A', index: 25, rule: 'R1', severity: 'critical' },
  { series: 'A', index: 60, rule: 'R2', severity: 'warning', points: 9 },
  { series: 'A', index: 60, rule: 'R5', severity: 'warning' },
  { series: 'A', index: 100, rule: 'R3', severity: 'warning' },
  { series: 'A', index: 150, rule: 'R7', severity: 'info', acknowledged: true },
  { series: 'A', index: 200, rule: 'R1', severity: 'critical', acknowledged: true, note: 'GPU shared with a training job' },
  { series: 'A', index: 250, rule: 'EWMA', severity: 'warning' },
  { series: 'A', index: 299, rule: 'R1', severity: 'critical' },
  { series: 'B', index: 25, rule: 'R1', severity: 'critical' },
  { series: 'B', index: 60, rule: 'R6', severity: 'warning' },
  { series: 'B', index: 120, rule: 'R4', severity: 'info' },
  { series: 'B', index: 180, rule: 'CUSUM', severity: 'warning', acknowledged: true },
];

export interface SeededData {
  sampleIds: { A: number[]; B: number[] };
  violationIds: number[];
}

export async function seedViolations(pool: pg.Pool): Promise<SeededData> {
  const sampleIds = {
    A: await insertSamples(pool, seriesSamples({ ...SERIES_A, start: T0, count: 300, stepMs: STEP_MS, seed: 1 })),
    B: await insertSamples(pool, seriesSamples({ ...SERIES_B, start: T0, count: 200, stepMs: STEP_MS, seed: 2 })),
  };
  const violationIds: number[] = [];
  for (const p of PLANNED) {
    violationIds.push(await insertViolation(pool, { ...p, sampleId: sampleIds[p.series][p.index]! }));
  }
  return { sampleIds, violationIds };
}

export const at = (index: number) => new Date(T0.getTime() + index * STEP_MS);
