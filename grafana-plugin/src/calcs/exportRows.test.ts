import { DEFAULT_SAMPLE_FIELDS, DEFAULT_VIOLATION_FIELDS } from '../data/fieldDefaults';
import { readSamples } from '../data/samples';
import { readViolations } from '../data/violations';
import { CENTER, LOG_SIGMA, samplesFrame, sampleRows, SPIKE_INDEX, UCL, violationsFrame } from '../test/fixtures';
import { toExportRows } from './exportRows';

describe('toExportRows', () => {
  it('joins each violation with the telemetry and limits of its sample, oldest first', () => {
    const rows = sampleRows();
    const result = readSamples([samplesFrame(rows)], DEFAULT_SAMPLE_FIELDS);
    if (!result.ok) {
      throw new Error(result.message);
    }
    const violations = readViolations([violationsFrame()], undefined, DEFAULT_VIOLATION_FIELDS, 'query', result.samples);
    const out = toExportRows([...violations].reverse(), result.samples);
    expect(out.map((r) => r.rule)).toEqual(['R1', 'R5', 'R2', 'R7']);
    const spike = rows[SPIKE_INDEX];
    expect(out[0]).toEqual({
      timestamp: new Date(spike.time).toISOString(),
      model: 'llama3.2:1b',
      rule: 'R1',
      severity: 'critical',
      latencyMs: spike.latency_ms,
      deviationSigma: 7.6,
      mean: CENTER,
      stdDev: LOG_SIGMA,
      ucl: UCL,
      lcl: expect.any(Number),
      cpuPercent: spike.cpu_percent,
      gpuPercent: spike.gpu_percent,
      memoryPercent: spike.memory_percent,
      tokens: spike.eval_count,
      durationMs: spike.total_duration_ms,
      promptTokens: spike.prompt_eval_count,
      loadDurationMs: spike.load_duration_ms,
      promptEvalDurationMs: spike.prompt_eval_duration_ms,
      evalDurationMs: spike.eval_duration_ms,
      ttftMs: spike.ttft_ms,
      tokensPerSecond: spike.eval_count / (spike.eval_duration_ms / 1000),
      status: 'ok',
      sampleId: spike.id,
    });
  });

  it('keeps a violation whose sample is not charted, with what the violation itself says', () => {
    const out = toExportRows(
      [{ key: 'k', time: 0, rule: 'R3', severity: 'warning', latencyMs: 12, deviationSigma: 1.5, sampleIndex: null, text: null }],
      []
    );
    expect(out[0]).toMatchObject({ rule: 'R3', latencyMs: 12, deviationSigma: 1.5, model: null, tokens: null });
  });
});
