import { readSamples } from '../data/samples';
import { DEFAULT_SAMPLE_FIELDS } from '../data/fieldDefaults';
import { samplesFrame, SPIKE_INDEX } from '../test/fixtures';
import type { Sample } from '../types';
import { CONTEXT_RADIUS, miniChartData, windowAround } from './window';

function samples(): Sample[] {
  const result = readSamples([samplesFrame()], DEFAULT_SAMPLE_FIELDS);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return result.samples;
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
  it('takes ±30 points with that window’s own individuals-chart limits', () => {
    const all = samples();
    const { rows, focus, limits } = miniChartData(all, SPIKE_INDEX);
    expect(rows).toHaveLength(61);
    expect(focus).toBe(30);
    // The fixture's timeout (sample 30) is inside the window and outside the limits.
    const values = rows.filter((s) => s.status === 'ok').map((s) => s.latencyMs as number);
    expect(values).toHaveLength(60);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const mrBar = values.slice(1).reduce((acc, v, i) => acc + Math.abs(v - values[i]), 0) / (values.length - 1);
    const sigma = mrBar / 1.128;
    expect(limits?.mean).toBeCloseTo(mean, 9);
    expect(limits?.ucl).toBeCloseTo(mean + 3 * sigma, 6);
    expect(limits?.lcl).toBeCloseTo(mean - 3 * sigma, 6);
  });

  it('leaves failed probes out of the window’s limits', () => {
    const withTimeout = samples().map((s) => (s.index === SPIKE_INDEX + 5 ? { ...s, status: 'timeout', latencyMs: 30_000 } : s));
    const { rows, limits } = miniChartData(withTimeout, SPIKE_INDEX);
    const ok = rows.filter((s) => s.status === 'ok').map((s) => s.latencyMs as number);
    expect(rows).toHaveLength(61);
    expect(ok.length).toBeLessThan(61);
    expect(limits?.mean).toBeCloseTo(ok.reduce((a, b) => a + b, 0) / ok.length, 9);
  });
});
