import { FieldType, createDataFrame } from '@grafana/data';
import { samplesFrame, sampleRows, SPIKE_INDEX, VIOLATION_ROWS, violationsFrame } from '../test/fixtures';
import { DEFAULT_SAMPLE_FIELDS, DEFAULT_VIOLATION_FIELDS } from './fieldDefaults';
import { filterByRule, groupByPoint } from './flaggedPoints';
import { readSamples } from './samples';
import { readViolations } from './violations';

function samples() {
  const result = readSamples([samplesFrame()], DEFAULT_SAMPLE_FIELDS);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return result.table;
}

describe('readViolations', () => {
  it('reads the violations query and ties each row to its sample by sample_id', () => {
    const s = samples();
    const v = readViolations([samplesFrame(), violationsFrame()], undefined, DEFAULT_VIOLATION_FIELDS, 'auto', s);
    expect(v.map((x) => [x.rule, x.severity, x.sampleIndex])).toEqual(
      VIOLATION_ROWS.map((r) => [r.rule, r.severity, r.sampleIndex])
    );
    expect(v[0].deviationSigma).toBe(7.6);
  });

  it('accepts the violations table’s `timestamp` column and falls back to the nearest sample in time', () => {
    const rows = sampleRows();
    const frame = createDataFrame({
      fields: [
        { name: 'timestamp', type: FieldType.time, values: [rows[SPIKE_INDEX].time + 4000] },
        { name: 'rule', type: FieldType.string, values: ['r1'] },
      ],
    });
    const v = readViolations([frame], undefined, DEFAULT_VIOLATION_FIELDS, 'auto', samples());
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: 'R1', severity: 'critical', sampleIndex: SPIKE_INDEX });
  });

  it('skips rules it does not know and times outside the chart', () => {
    const rows = sampleRows();
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [rows[5].time, rows[0].time - 3_600_000] },
        { name: 'rule', type: FieldType.string, values: ['R99', 'R3'] },
      ],
    });
    const v = readViolations([frame], undefined, DEFAULT_VIOLATION_FIELDS, 'auto', samples());
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: 'R3', sampleIndex: null });
  });

  it('reads annotations when no query carries violations: rule from tags or text', () => {
    const rows = sampleRows();
    const annotations = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [rows[10].time, rows[20].time, rows[25].time] },
        {
          name: 'text',
          type: FieldType.string,
          values: ['slow answer', 'R6 violation: 4 of 5 beyond 1σ', 'model loaded'],
        },
        { name: 'tags', type: FieldType.other, values: [['llmscope', 'R1', 'critical'], [], ['model_event']] },
      ],
    });
    const v = readViolations([samplesFrame()], [annotations], DEFAULT_VIOLATION_FIELDS, 'auto', samples());
    expect(v.map((x) => [x.rule, x.severity, x.sampleIndex, x.text])).toEqual([
      ['R1', 'critical', 10, 'slow answer'],
      ['R6', 'warning', 20, 'R6 violation: 4 of 5 beyond 1σ'],
    ]);
  });

  it('ignores annotations when the source option says query', () => {
    const annotations = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [sampleRows()[10].time] },
        { name: 'text', type: FieldType.string, values: ['R1'] },
      ],
    });
    expect(readViolations([samplesFrame()], [annotations], DEFAULT_VIOLATION_FIELDS, 'query', samples())).toEqual([]);
  });
});

describe('groupByPoint and filterByRule', () => {
  it('puts every rule a point broke on one marker, coloured by the worst', () => {
    const v = readViolations([violationsFrame()], undefined, DEFAULT_VIOLATION_FIELDS, 'auto', samples());
    const points = groupByPoint(v);
    expect(points.map((p) => [p.sampleIndex, p.severity, p.violations.map((x) => x.rule)])).toEqual([
      [SPIKE_INDEX, 'critical', ['R1', 'R5']],
      [95, 'warning', ['R2']],
      [110, 'info', ['R7']],
    ]);
    const withoutR1 = groupByPoint(filterByRule(v, new Set(['R2', 'R5', 'R7'])));
    expect(withoutR1[0]).toMatchObject({ sampleIndex: SPIKE_INDEX, severity: 'warning' });
  });
});
