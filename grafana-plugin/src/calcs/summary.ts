import type { Severity } from '@llmscope/spc';
import { type SampleTable, valueOrNull } from '../data/sampleTable';
import type { Violation } from '../types';
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
export function summarize(table: SampleTable, violations: readonly Violation[], from: number, to: number): Summary {
  // One pass over the typed columns: this reruns on every range change over ~100k samples.
  const { time, ok: answered, latency } = table;
  const { tokensPerSecond: speeds, evalCount, evalDuration } = table.throughput();
  let inRange = 0;
  let ok = 0;
  const latencies = new Float64Array(table.length);
  let latencyCount = 0;
  let speedSum = 0;
  let speedCount = 0;
  for (let i = 0; i < table.length; i++) {
    if (time[i] < from || time[i] > to) {
      continue;
    }
    inRange++;
    if (answered[i] !== 1) {
      continue;
    }
    ok++;
    if (latency[i] === latency[i]) {
      latencies[latencyCount++] = latency[i];
    }
    const speed =
      speeds[i] === speeds[i] ? speeds[i] : tokensPerSecond(valueOrNull(evalCount[i]), valueOrNull(evalDuration[i]));
    if (speed !== null) {
      speedSum += speed;
      speedCount++;
    }
  }
  const answeredLatencies = latencies.subarray(0, latencyCount);
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
    meanLatencyMs: mean(answeredLatencies),
    p95LatencyMs: quantile(answeredLatencies, 0.95),
    meanTokensPerSecond: speedCount === 0 ? null : speedSum / speedCount,
  };
}

export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) {
    return null;
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
  }
  return sum / values.length;
}

/** Linear interpolation between closest ranks (Hyndman & Fan type 7, the spreadsheet default). */
export function quantile(values: ArrayLike<number>, q: number): number | null {
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
