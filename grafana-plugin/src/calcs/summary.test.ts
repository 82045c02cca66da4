import { tableOf } from '../test/fixtures';
import type { Sample, Violation } from '../types';
import { NO_CELLS } from '../data/violations';
import { quantile, summarize } from './summary';

const sample = (index: number, latencyMs: number, status = 'ok', evalCount = 40, evalDurationMs = 1000): Sample => ({
  index,
  id: index,
  time: index * 1000,
  latencyMs,
  status,
  model: 'm',
  error: null,
  coldStart: null,
  center: null,
  ucl: null,
  lcl: null,
  sigma: null,
  ttftMs: null,
  totalDurationMs: null,
  loadDurationMs: null,
  promptEvalCount: null,
  promptEvalDurationMs: null,
  evalCount,
  evalDurationMs,
  tokensPerSecond: null,
  cpuPercent: null,
  memoryPercent: null,
  gpuPercent: null,
  gpuMemoryPercent: null,
});

const violation = (time: number, severity: Violation['severity']): Violation => ({
  key: `${time}-${severity}`,
  time,
  rule: severity === 'critical' ? 'R1' : 'R2',
  severity,
  latencyMs: null,
  deviationSigma: null,
  sampleIndex: null,
  text: null,
  cells: NO_CELLS,
});

describe('quantile', () => {
  it('interpolates between closest ranks', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55, 12);
    expect(quantile([5], 0.95)).toBe(5);
    expect(quantile([], 0.95)).toBeNull();
  });
});

describe('summarize', () => {
  const samples = [
    sample(0, 100),
    sample(1, 200, 'ok', 50, 500),
    sample(2, 30000, 'timeout'),
    sample(3, 300),
    sample(9, 999),
  ];
  const violations = [
    violation(0, 'critical'),
    violation(1000, 'warning'),
    violation(3000, 'warning'),
    violation(9000, 'info'),
  ];

  it('counts violations by severity and latency of answered probes within the range', () => {
    const s = summarize(tableOf(samples), violations, 0, 3000);
    expect(s.violations).toEqual({ critical: 1, warning: 2, info: 0 });
    expect(s.samples).toBe(4);
    expect(s.failed).toBe(1);
    expect(s.meanLatencyMs).toBe(200);
    expect(s.p95LatencyMs).toBeCloseTo(290, 12);
    // (40 + 100 + 40) / 3 tokens per second
    expect(s.meanTokensPerSecond).toBeCloseTo(60, 12);
  });

  it('reports unknown figures for an empty range', () => {
    const s = summarize(tableOf(samples), violations, 100_000, 200_000);
    expect(s.meanLatencyMs).toBeNull();
    expect(s.p95LatencyMs).toBeNull();
    expect(s.violations).toEqual({ critical: 0, warning: 0, info: 0 });
  });
});
