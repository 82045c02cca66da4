import type { SpcPoint, ViolationRow } from './api';
import { samplesFrame } from './frames';

const SERIES = { target: 'local', model: 'llama3', probe: 'default' };

function point(id: number): SpcPoint {
  return {
    id,
    ts: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
    latency_ms: 800 + id,
    status: 'ok',
    cold_start: false,
    center: 800,
    ucl: 1000,
    lcl: 600,
  };
}

const violation = {
  id: 7,
  sample_id: 2,
  ttft_ms: 41.5,
  total_duration_ms: 812.25,
  load_duration_ms: 3.5,
  prompt_eval_count: 26,
  prompt_eval_duration_ms: 20.125,
  eval_count: 24,
  eval_duration_ms: 700.5,
  tokens_per_second: 34.26,
  cpu_percent: 12,
  memory_percent: 40,
  gpu_percent: 88,
  gpu_memory_percent: 51,
} as unknown as ViolationRow;

describe('samplesFrame', () => {
  it("gives the violation's sample its telemetry, under the samples table's column names, and leaves the other rows empty", () => {
    const frame = samplesFrame(SERIES, [point(1), point(2), point(3)], [violation]);
    const column = (name: string) => frame.fields.find((f) => f.name === name)?.values;
    const names = Object.keys(violation).filter((name) => name !== 'id' && name !== 'sample_id');
    expect(names).toHaveLength(12);
    for (const name of names) {
      expect([name, column(name)]).toEqual([name, [null, violation[name as keyof ViolationRow], null]]);
    }
  });
});
