// Realistic sample rows (what the pipeline records for an ok probe) for the write benchmarks.
import { randomUUID } from 'node:crypto';
import { SeriesMonitor } from '@llmscope/spc';

const START = Date.parse('2026-01-01T00:00:00Z');

/** The SPC state the pipeline stores beside each sample: a real monitor's snapshot after its baseline. */
export function seriesState() {
  const monitor = new SeriesMonitor({ transform: 'log' });
  for (let i = 0; i < 150; i++) monitor.push(800 * Math.exp(0.08 * Math.sin(i * 12.9898)));
  return monitor.snapshot();
}

/** The i-th sample of `series` series probed in turn every `stepMs`, from `start` (epoch ms). */
export function sampleRow(i, { series = 100, stepMs = 500, start = START } = {}) {
  const latency = 800 * Math.exp(0.08 * Math.sin(i * 12.9898));
  return {
    uid: randomUUID(),
    ts: new Date(start + i * stepMs).toISOString(),
    collector: 'bench',
    target: 'bench-host:11434',
    provider: 'ollama',
    model: `bench-model-${i % series}`,
    probe: 'default',
    promptHash: 'c0ffee00'.repeat(8),
    prompt: null,
    status: 'ok',
    error: null,
    coldStart: false,
    latencyMs: latency,
    ttftMs: latency * 0.12,
    totalDurationMs: latency * 0.98,
    loadDurationMs: 0,
    promptEvalCount: 18,
    promptEvalDurationMs: latency * 0.1,
    evalCount: 24,
    evalDurationMs: latency * 0.85,
    tokensPerSecond: 24 / ((latency * 0.85) / 1000),
    cpuPercent: 35.5,
    memoryPercent: 61.2,
    gpuPercent: null,
    gpuMemoryPercent: null,
    spcCenterMs: 800,
    spcSigmaMs: 64,
    spcUclMs: 1017,
    spcLclMs: 629,
  };
}
