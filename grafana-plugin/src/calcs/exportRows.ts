import type { Sample, Violation } from '../types';
import { tokensPerSecond } from './telemetry';

/** One exported violation with the telemetry of the sample it flagged. */
export interface ExportRow {
  timestamp: string;
  model: string | null;
  rule: string;
  severity: string;
  latencyMs: number | null;
  deviationSigma: number | null;
  mean: number | null;
  stdDev: number | null;
  ucl: number | null;
  lcl: number | null;
  cpuPercent: number | null;
  gpuPercent: number | null;
  memoryPercent: number | null;
  tokens: number | null;
  durationMs: number | null;
  promptTokens: number | null;
  loadDurationMs: number | null;
  promptEvalDurationMs: number | null;
  evalDurationMs: number | null;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  status: string | null;
  sampleId: number | null;
}

export function toExportRows(violations: readonly Violation[], samples: readonly Sample[]): ExportRow[] {
  return [...violations]
    .sort((a, b) => a.time - b.time || a.rule.localeCompare(b.rule))
    .map((v) => {
      const s = v.sampleIndex === null ? undefined : samples[v.sampleIndex];
      return {
        timestamp: new Date(v.time).toISOString(),
        model: s?.model ?? null,
        rule: v.rule,
        severity: v.severity,
        latencyMs: v.latencyMs ?? s?.latencyMs ?? null,
        deviationSigma: v.deviationSigma,
        mean: s?.center ?? null,
        stdDev: s?.sigma ?? null,
        ucl: s?.ucl ?? null,
        lcl: s?.lcl ?? null,
        cpuPercent: s?.cpuPercent ?? null,
        gpuPercent: s?.gpuPercent ?? null,
        memoryPercent: s?.memoryPercent ?? null,
        tokens: s?.evalCount ?? null,
        durationMs: s?.totalDurationMs ?? null,
        promptTokens: s?.promptEvalCount ?? null,
        loadDurationMs: s?.loadDurationMs ?? null,
        promptEvalDurationMs: s?.promptEvalDurationMs ?? null,
        evalDurationMs: s?.evalDurationMs ?? null,
        ttftMs: s?.ttftMs ?? null,
        tokensPerSecond: s ? (s.tokensPerSecond ?? tokensPerSecond(s.evalCount, s.evalDurationMs)) : null,
        status: s?.status ?? null,
        sampleId: s?.id ?? null,
      };
    });
}
