import type { Severity } from '@llmscope/spc';
import type { Sample, Violation } from '../types';
import { tokensPerSecond } from './telemetry';

export interface Summary {
  violations: Record<Severity, number>;
  samples: number;
  failed: number;
  meanLatencyMs: number | null;
  p95LatencyMs: number | null;
  meanTokensPerSecond: number | null;
}

/**
 * Figures for the summary card over the visible range. Latency statistics use answered
 * probes only: an error or a timeout has no meaningful latency.
 */
export function summarize(samples: readonly Sample[], violations: readonly Violation[], from: number, to: number): Summary {
  const inRange = samples.filter((s) => s.time >= from && s.time <= to);
  const ok = inRange.filter((s) => s.status === 'ok');
  const latencies = ok.map((s) => s.latencyMs).filter((v): v is number => v !== null);
  const speeds = ok
    .map((s) => s.tokensPerSecond ?? tokensPerSecond(s.evalCount, s.evalDurationMs))
    .filter((v): v is number => v !== null);
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const v of violations) {
    if (v.time >= from && v.time <= to) {
      counts[v.severity]++;
    }
  }
  return {
    violations: counts,
    samples: inRange.length,
    failed: inRange.length - ok.length,
    meanLatencyMs: mean(latencies),
    p95LatencyMs: quantile(latencies, 0.95),
    meanTokensPerSecond: mean(speeds),
  };
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Linear interpolation between closest ranks (Hyndman & Fan type 7, the spreadsheet default). */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
