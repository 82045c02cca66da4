import { FieldType, createDataFrame } from '@grafana/data';
import { samplesFrame, samplesOf, sampleRows } from '../test/fixtures';
import { DEFAULT_SAMPLE_FIELDS } from './fieldDefaults';
import { timeColumn } from './frameFields';
import { readSamples, timeOrder } from './samples';

describe('readSamples', () => {
  it('reads the samples query into time-ordered samples with telemetry', () => {
    const rows = sampleRows(5);
    const result = readSamples([samplesFrame([...rows].reverse())], DEFAULT_SAMPLE_FIELDS);
    if (!result.ok) {
      throw new Error(result.message);
    }
    expect(samplesOf(result.table).map((s) => s.time)).toEqual(rows.map((r) => r.time));
    expect(samplesOf(result.table).map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
    expect(result.table.at(2)).toMatchObject({
      id: rows[2].id,
      latencyMs: rows[2].latency_ms,
      evalCount: rows[2].eval_count,
      gpuPercent: rows[2].gpu_percent,
      model: 'llama3.2:1b',
      status: 'ok',
    });
  });

  it('accepts numeric strings and ignores case in column names, as Postgres numerics and aliases arrive', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: ['2026-11-27T12:00:00Z'] },
        { name: 'LATENCY_MS', type: FieldType.string, values: ['812.5'] },
        { name: 'spc_center', type: FieldType.number, values: [800] },
        { name: 'spc_ucl', type: FieldType.number, values: [1000] },
        { name: 'spc_lcl', type: FieldType.number, values: [600] },
      ],
    });
    const result = readSamples([frame], DEFAULT_SAMPLE_FIELDS);
    expect(result.ok && result.table.at(0)).toMatchObject({
      time: Date.UTC(2026, 10, 27, 12),
      latencyMs: 812.5,
      evalCount: null,
    });
  });

  it('finds the samples frame whatever the query order, though violations carry latency_ms too', () => {
    const violations = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'rule', type: FieldType.string, values: ['R1'] },
        { name: 'latency_ms', type: FieldType.number, values: [1] },
      ],
    });
    const result = readSamples([violations, samplesFrame(sampleRows(3))], DEFAULT_SAMPLE_FIELDS);
    expect(result.ok && result.table.length).toBe(3);
  });

  it('says there is no data when the query returned nothing', () => {
    const result = readSamples([], DEFAULT_SAMPLE_FIELDS);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('No data') });
  });

  it('names the missing latency column', () => {
    const frame = createDataFrame({ fields: [{ name: 'time', type: FieldType.time, values: [1] }] });
    const result = readSamples([frame], DEFAULT_SAMPLE_FIELDS);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('Missing field "latency_ms"');
  });

  it('names a missing limit column', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'latency_ms', type: FieldType.number, values: [1] },
        { name: 'spc_center', type: FieldType.number, values: [1] },
        { name: 'spc_lcl', type: FieldType.number, values: [1] },
      ],
    });
    const result = readSamples([frame], DEFAULT_SAMPLE_FIELDS);
    expect(!result.ok && result.message).toContain('Missing field "spc_ucl"');
  });
});

describe('timeOrder', () => {
  const frameOf = (times: unknown[]) =>
    createDataFrame({ fields: [{ name: 'time', type: FieldType.time, values: times }] });
  it('keeps rows already in time order as they are (null: every row) and skips rows without a valid time', () => {
    expect(timeOrder(timeColumn(frameOf([1000, 2000, 2000, 3000]).fields[0], 4))).toBeNull();
    const frame = frameOf([1000, null, 2000, 'not a time', 2000, 3000]);
    expect(timeOrder(timeColumn(frame.fields[0], frame.length))).toEqual([0, 2, 4, 5]);
  });
  it('sorts rows out of order by time, ties in query order', () => {
    const frame = frameOf([3000, 1000, 2000, 1000, '1970-01-01T00:00:00.500Z']);
    expect(timeOrder(timeColumn(frame.fields[0], frame.length))).toEqual([4, 1, 3, 2, 0]);
  });
});
