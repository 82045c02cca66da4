import { randomUUID } from 'node:crypto';
import type { RecordedSample, ViolationOpen } from '../../src/store/rows.js';

export function sampleRow(overrides: Partial<RecordedSample> = {}): RecordedSample {
  return {
    uid: randomUUID(),
    ts: new Date().toISOString(),
    collector: 'test',
    target: 't',
    provider: 'ollama',
    model: 'm',
    probe: 'p',
    promptHash: 'h',
    prompt: null,
    status: 'ok',
    error: null,
    coldStart: false,
    latencyMs: 100,
    ttftMs: 20,
    totalDurationMs: 99,
    loadDurationMs: 0,
    promptEvalCount: 10,
    promptEvalDurationMs: 9,
    evalCount: 16,
    evalDurationMs: 85,
    tokensPerSecond: 16 / 0.085,
    cpuPercent: 12,
    memoryPercent: 40,
    gpuPercent: null,
    gpuMemoryPercent: null,
    spcCenterMs: 100,
    spcSigmaMs: 8,
    spcUclMs: 124,
    spcLclMs: 76,
    ...overrides,
  };
}

export function violationRow(sample: RecordedSample, overrides: Partial<ViolationOpen> = {}): ViolationOpen {
  return {
    sampleUid: sample.uid,
    timestamp: sample.ts,
    target: sample.target,
    model: sample.model,
    probe: sample.probe,
    provider: sample.provider,
    rule: 'R1',
    severity: 'critical',
    latencyMs: sample.latencyMs,
    deviationSigma: 3.5,
    meanMs: 100,
    stdDevMs: 8,
    uclMs: 124,
    lclMs: 76,
    cpuPercent: sample.cpuPercent,
    memoryPercent: sample.memoryPercent,
    gpuPercent: sample.gpuPercent,
    evalCount: sample.evalCount,
    evalDurationMs: sample.evalDurationMs,
    promptHash: sample.promptHash,
    ...overrides,
  };
}
