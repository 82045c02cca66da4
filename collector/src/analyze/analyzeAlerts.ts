// `llmscope analyze --alerts`: the collector's default alert policy (docs/alerting.md) applied
// to a file, every value read as an ok probe taken `intervalSeconds` apart.
import { detectAlerts, type AlertDetectorId, type AlertPolicy, type Severity } from '@llmscope/spc';
import { AnalyzeInputError } from './inputError.js';
import type { Points } from './readPoints.js';

export interface AlertRow {
  /** 1-based positions of the first and last point of the episode. */
  start: number;
  end: number;
  severity: Severity;
  detector: AlertDetectorId;
  /** Relative change of the median latency: 0.31 is +31 %. */
  effect: number;
  /** With --time-column: the time of the first point. */
  timestamp?: string;
}

export function analyzeAlerts(points: Points, policy: AlertPolicy): AlertRow[] {
  const bad = points.values.findIndex((value) => !(value > 0));
  if (bad >= 0)
    throw new AnalyzeInputError(`line ${points.lines[bad]}: ${points.values[bad]} cannot be judged by --alerts (latencies must be > 0)`);
  let episodes;
  try {
    episodes = detectAlerts(
      points.values.map((latencyMs) => ({ status: 'ok' as const, latencyMs })),
      policy,
    );
  } catch (error) {
    if (error instanceof RangeError) throw new AnalyzeInputError(error.message);
    throw error;
  }
  return episodes.map((e) => ({
    start: e.start + 1,
    end: e.end + 1,
    severity: e.severity,
    detector: e.detector,
    effect: Number(e.effect.toFixed(4)),
    ...(points.times ? { timestamp: points.times[e.start]! } : {}),
  }));
}
