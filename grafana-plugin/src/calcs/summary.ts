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
  // One pass, no per-sample arrays: this reruns on every range change over ~100k samples.
  let inRange = 0;
  let ok = 0;
  const latencies: number[] = [];
  let speedSum = 0;
  let speedCount = 0;
  for (const s of samples) {
    if (s.time < from || s.time > to) {
      continue;
    }
    inRange++;
    if (s.status !== 'ok') {
      continue;
    }
    ok++;
    if (s.latencyMs !== null) {
      latencies.push(s.latencyMs);
    }
    const speed = s.tokensPerSecond ?? tokensPerSecond(s.evalCount, s.evalDurationMs);
    if (speed !== null) {
      speedSum += speed;
      speedCount++;
    }
  }
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const v of violations) {
    if (v.time >= from && v.time <= to) {
      counts[v.severity]++;
    }
  }
  return {
    violations: counts,
    samples: inRange,
    failed: inRange - ok,
    meanLatencyMs: mean(latencies),
    p95LatencyMs: quantile(latencies, 0.95),
    meanTokensPerSecond: speedCount === 0 ? null : speedSum / speedCount,
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
  // A typed array sorts numerically without a comparator call per comparison.
  const sorted = Float64Array.from(values).sort();
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
