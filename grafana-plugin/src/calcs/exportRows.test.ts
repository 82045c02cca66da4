import { DEFAULT_SAMPLE_FIELDS, DEFAULT_VIOLATION_FIELDS } from '../data/fieldDefaults';
import { readSamples } from '../data/samples';
import { EMPTY_TABLE } from '../data/sampleTable';
import { NO_CELLS, readViolations } from '../data/violations';
import { CENTER, LOG_SIGMA, samplesFrame, sampleRows, SPIKE_INDEX, UCL, violationsFrame } from '../test/fixtures';
import { toExportRows } from './exportRows';

describe('toExportRows', () => {
  it('joins each violation with its sample, oldest first, filling the columns the query lacks from the sample', () => {
    const rows = sampleRows();
    const result = readSamples([samplesFrame(rows)], DEFAULT_SAMPLE_FIELDS);
    if (!result.ok) {
      throw new Error(result.message);
    }
    const violations = readViolations([violationsFrame()], undefined, DEFAULT_VIOLATION_FIELDS, 'query', result.table);
    const out = toExportRows([...violations].reverse(), result.table);
    expect(out.map((r) => r.violation.rule)).toEqual(['R1', 'R5', 'R2', 'R7']);
    const spike = rows[SPIKE_INDEX];
    expect(out[0].violation).toEqual({
      ...NO_CELLS,
      id: 1,
      timestamp: spike.time,
      rule: 'R1',
      severity: 'critical',
      latency_ms: spike.latency_ms,
      deviation_sigma: 7.6,
      sample_id: spike.id,
      // Not in the fixture's violations frame: the flagged sample's values.
      model: 'llama3.2:1b',
      mean: CENTER,
      std_dev: LOG_SIGMA,
      ucl: UCL,
      lcl: expect.any(Number),
      cpu_percent: spike.cpu_percent,
      gpu_percent: spike.gpu_percent,
      memory_percent: spike.memory_percent,
      eval_count: spike.eval_count,
      eval_duration_ms: spike.eval_duration_ms,
    });
    expect(out[0].sample).toEqual({
      status: 'ok',
      cold_start: true,
      ttft_ms: spike.ttft_ms,
      total_duration_ms: spike.total_duration_ms,
      load_duration_ms: spike.load_duration_ms,
      prompt_eval_count: spike.prompt_eval_count,
      prompt_eval_duration_ms: spike.prompt_eval_duration_ms,
      tokens_per_second: null,
      gpu_memory_percent: null,
    });
  });

  it('keeps a violation whose sample is not charted, with what the violation itself says', () => {
    const cells = { ...NO_CELLS, rule: 'R3', latency_ms: 12, deviation_sigma: 1.5 };
    const out = toExportRows(
      [
        {
          key: 'k',
          time: 0,
          rule: 'R3',
          severity: 'warning',
          latencyMs: 12,
          deviationSigma: 1.5,
          sampleIndex: null,
          text: null,
          cells,
        },
      ],
      EMPTY_TABLE
    );
    expect(out[0]).toEqual({ violation: cells, sample: null });
  });
});
