import { FieldType, createDataFrame } from '@grafana/data';
import { samplesFrame, sampleRows } from '../test/fixtures';
import { DEFAULT_SAMPLE_FIELDS } from './fieldDefaults';
import { readSamples } from './samples';
import { EMPTY_TABLE } from './sampleTable';

function table(frame = samplesFrame(sampleRows(5))) {
  const result = readSamples([frame], DEFAULT_SAMPLE_FIELDS);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return result.table;
}

describe('SampleTable', () => {
  it('holds the frame as typed columns in time order, NaN where a value is missing', () => {
    const rows = sampleRows(5);
    rows[3].status = 'timeout';
    const t = table(samplesFrame([...rows].reverse()));
    expect(t.time).toBeInstanceOf(Float64Array);
    expect(Array.from(t.time)).toEqual(rows.map((r) => r.time));
    expect(Array.from(t.latency)).toEqual(rows.map((r) => r.latency_ms));
    expect(Array.from(t.id)).toEqual(rows.map((r) => r.id));
    expect(Array.from(t.ok)).toEqual([1, 1, 1, 0, 1]);
    expect(Array.from(t.throughput().evalCount)).toEqual(rows.map((r) => r.eval_count));
    expect(t.throughput()).toBe(t.throughput());
    // The fixture's query has no tokens_per_second column: all missing.
    expect(Array.from(t.throughput().tokensPerSecond).every(Number.isNaN)).toBe(true);
  });

  it('uses the frame column itself when the rows already are in time order (no copy)', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1000, 2000, 3000] },
        { name: 'latency_ms', type: FieldType.number, values: [5, null, 7] },
        { name: 'spc_center', type: FieldType.number, values: [6, 6, 6] },
        { name: 'spc_ucl', type: FieldType.number, values: [9, 9, 9] },
        { name: 'spc_lcl', type: FieldType.number, values: [3, 3, 3] },
      ],
    });
    const t = table(frame);
    expect(Array.from(t.latency)).toEqual([5, NaN, 7]);
    expect(t.at(1).latencyMs).toBeNull();
    expect(t.at(1).status).toBe('ok');
  });

  it('builds a Sample only when asked, once, with the telemetry of its row', () => {
    const rows = sampleRows(5);
    const t = table(samplesFrame([...rows].reverse()));
    const sample = t.at(2);
    expect(t.at(2)).toBe(sample);
    expect(sample).toMatchObject({
      index: 2,
      id: rows[2].id,
      time: rows[2].time,
      ttftMs: rows[2].ttft_ms,
      model: 'llama3.2:1b',
    });
  });

  it('refuses an index outside the table, naming it', () => {
    expect(() => table().at(5)).toThrow('sample 5 is outside the table (0…4)');
    expect(() => table().at(-1)).toThrow(RangeError);
    expect(() => EMPTY_TABLE.at(0)).toThrow(RangeError);
    expect(EMPTY_TABLE.length).toBe(0);
  });
});
