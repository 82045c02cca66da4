import { readSamples } from '../../data/samples';
import { DEFAULT_SAMPLE_FIELDS } from '../../data/fieldDefaults';
import {
  CENTER,
  LCL,
  LOG_SIGMA,
  samplesFrame,
  samplesOf,
  sampleRows,
  SPIKE_INDEX,
  tableOf,
  UCL,
} from '../../test/fixtures';
import { SERIES, chartData, latencyRange, isLogAxis } from './chartData';

function samples() {
  const rows = sampleRows();
  rows[30].latency_ms = 30_000; // the fixture's timeout, at the client's limit
  const result = readSamples([samplesFrame(rows)], DEFAULT_SAMPLE_FIELDS);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return samplesOf(result.table);
}

describe('latencyRange', () => {
  it('spans answered probes and limits, not the timeouts', () => {
    const [lo, hi] = latencyRange(tableOf(samples()));
    expect(hi).toBeGreaterThan(1450.25);
    expect(hi).toBeLessThan(1600);
    expect(lo).toBeLessThan(LCL);
    expect(lo).toBeGreaterThan(0);
  });

  it('ignores points charted before the first limits', () => {
    const s = samples().map((x, i) =>
      i < 20 ? { ...x, center: null, ucl: null, lcl: null, latencyMs: i === 0 ? 9000 : x.latencyMs } : x
    );
    expect(latencyRange(tableOf(s))[1]).toBeLessThan(1600);
    expect(latencyRange(tableOf(s.slice(0, 20)))[1]).toBeGreaterThan(9000);
  });
});

describe('isLogAxis', () => {
  it('follows log-transformed (asymmetric) limits in auto mode, and the option otherwise', () => {
    const s = samples();
    expect(isLogAxis(tableOf(s), 'auto')).toBe(true);
    expect(isLogAxis(tableOf(s), 'linear')).toBe(false);
    const symmetric = s.map((x) => ({ ...x, ucl: 1000, lcl: 600 }));
    expect(isLogAxis(tableOf(symmetric), 'auto')).toBe(false);
    expect(isLogAxis(tableOf(symmetric), 'log')).toBe(true);
  });

  it('pads a log axis by a factor, keeping it positive', () => {
    const [lo, hi] = latencyRange(tableOf(samples()), true);
    expect(lo).toBeGreaterThan(0);
    expect(lo).toBeLessThan(LCL);
    expect(hi).toBeGreaterThan(1450.25);
  });
});

describe('chartData', () => {
  it('splits answered and failed probes and adds the zone lines', () => {
    const s = samples();
    const range = latencyRange(tableOf(s));
    const data = chartData(tableOf(s), range);
    expect(data[0]).toHaveLength(s.length);
    expect(data[SERIES.latency][30]).toBeNull();
    expect(data[SERIES.failed][30]).toBe(range[1]);
    expect(data[SERIES.latency][SPIKE_INDEX]).toBe(1450.25);
    expect(data[SERIES.center][0]).toBe(CENTER);
    expect(data[SERIES.ucl][0]).toBe(UCL);
    expect(data[SERIES.plus1][0]).toBeCloseTo(CENTER * Math.exp(LOG_SIGMA), 9);
    expect(data[SERIES.minus2][0]).toBeCloseTo(CENTER * Math.exp(-2 * LOG_SIGMA), 9);
  });
});

describe('chartData with chosen rows', () => {
  it('draws only the rows asked for, in their order', () => {
    const s = samples();
    const data = chartData(tableOf(s), latencyRange(tableOf(s)), [0, 30, SPIKE_INDEX]);
    expect(data[0]).toEqual([s[0].time, s[30].time, s[SPIKE_INDEX].time]);
    expect(data[SERIES.latency]).toEqual([s[0].latencyMs, null, 1450.25]);
    // The limits do not change: uPlot carries the step from the first row to the last.
    expect(data[SERIES.ucl]).toEqual([UCL, undefined, UCL]);
  });

  it('gives the limit lines only the rows where they change (undefined elsewhere), and keeps a gap where no limits are in force', () => {
    const s = samples();
    s[5] = { ...s[5], ucl: UCL * 1.5 };
    s[6] = { ...s[6], center: null, ucl: null, lcl: null };
    s[7] = { ...s[7], center: null, ucl: null, lcl: null };
    const data = chartData(tableOf(s), latencyRange(tableOf(s)), [3, 4, 5, 6, 7, 8, 9, 10]);
    expect(data[SERIES.ucl]).toEqual([UCL, undefined, UCL * 1.5, null, undefined, UCL, undefined, UCL]);
    expect(data[SERIES.center]).toEqual([CENTER, undefined, CENTER, null, undefined, CENTER, undefined, CENTER]);
    expect(data[SERIES.plus1][5]).toBeCloseTo(CENTER * Math.exp(LOG_SIGMA), 9);
    expect(data[SERIES.plus1][4]).toBeUndefined();
    expect(data[SERIES.plus1][3]).toBeNull();
    // Every row's latency is still there.
    expect(data[SERIES.latency]).toEqual([3, 4, 5, 6, 7, 8, 9, 10].map((i) => s[i].latencyMs));
  });
});
