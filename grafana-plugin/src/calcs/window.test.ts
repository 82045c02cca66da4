import { readSamples } from '../data/samples';
import { DEFAULT_SAMPLE_FIELDS } from '../data/fieldDefaults';
import { samplesFrame, samplesOf, SPIKE_INDEX, tableOf } from '../test/fixtures';
import { CONTEXT_RADIUS, miniChartData, windowAround } from './window';

function samples() {
  const result = readSamples([samplesFrame()], DEFAULT_SAMPLE_FIELDS);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return result.table;
}

describe('windowAround', () => {
  it('gives 21 rows centred on the violation', () => {
    const { rows, focus } = windowAround(samples(), SPIKE_INDEX, CONTEXT_RADIUS);
    expect(rows).toHaveLength(21);
    expect(focus).toBe(10);
    expect(rows[focus].index).toBe(SPIKE_INDEX);
  });

  it('clips at the series ends', () => {
    const all = samples();
    const head = windowAround(all, 3, CONTEXT_RADIUS);
    expect(head.rows).toHaveLength(14);
    expect(head.focus).toBe(3);
    const tail = windowAround(all, all.length - 1, CONTEXT_RADIUS);
    expect(tail.rows).toHaveLength(11);
    expect(tail.focus).toBe(10);
  });
});

describe('miniChartData', () => {
  it('takes ±30 ok samples and the violation, with that window’s own individuals-chart limits', () => {
    const all = samples();
    const { rows, focus, limits } = miniChartData(all, SPIKE_INDEX);
    // The fixture's timeout (sample 30) is skipped, so the window reaches one sample further back.
    expect(rows).toHaveLength(61);
    expect(focus).toBe(30);
    expect(rows[focus].index).toBe(SPIKE_INDEX);
    expect(rows.every((s) => s.status === 'ok')).toBe(true);
    expect(rows[0].index).toBe(SPIKE_INDEX - 31);
    const values = rows.map((s) => s.latencyMs as number);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const mrBar = values.slice(1).reduce((acc, v, i) => acc + Math.abs(v - values[i]), 0) / (values.length - 1);
    const sigma = mrBar / 1.128;
    expect(limits?.mean).toBeCloseTo(mean, 9);
    expect(limits?.ucl).toBeCloseTo(mean + 3 * sigma, 6);
    expect(limits?.lcl).toBeCloseTo(mean - 3 * sigma, 6);
  });

  it('counts ±30 ok samples, as the collector does, not ±30 samples of any status', () => {
    const failed = new Set([SPIKE_INDEX + 2, SPIKE_INDEX + 5, SPIKE_INDEX - 4]);
    const withFailures = samplesOf(samples()).map((s) =>
      failed.has(s.index) ? { ...s, status: 'timeout', latencyMs: 30_000 } : s
    );
    const { rows, focus, limits } = miniChartData(tableOf(withFailures), SPIKE_INDEX);
    expect(rows).toHaveLength(61);
    expect(rows.some((s) => failed.has(s.index))).toBe(false);
    expect(rows[focus].index).toBe(SPIKE_INDEX);
    expect(rows[rows.length - 1].index).toBe(SPIKE_INDEX + 32);
    const ok = rows.map((s) => s.latencyMs as number);
    expect(limits?.mean).toBeCloseTo(ok.reduce((a, b) => a + b, 0) / ok.length, 9);
  });
});
