import { createTheme } from '@grafana/data';
import { buildChartConfig } from './chartConfig';
import { SERIES } from './chartData';

function config(showZones: boolean, logScale = false) {
  return buildChartConfig({
    theme: createTheme({ colors: { mode: 'dark' } }),
    timeZone: 'utc',
    showZones,
    logScale,
    getXRange: () => [0, 1],
    getYRange: () => [0, 1],
    onZoom: () => undefined,
    onDraw: () => undefined,
    onCursor: () => undefined,
  }).getConfig();
}

describe('buildChartConfig', () => {
  it('draws latency, centre, dashed limits and the five zone bands between UCL and LCL', () => {
    const c = config(true);
    expect(c.series).toHaveLength(10);
    expect(c.series[SERIES.ucl].dash).toEqual([8, 5]);
    expect(c.series[SERIES.lcl].dash).toEqual([8, 5]);
    expect(c.series[SERIES.center].dash).toBeUndefined();
    expect(c.bands?.map((b) => b.series)).toEqual([
      [SERIES.ucl, SERIES.plus2],
      [SERIES.plus2, SERIES.plus1],
      [SERIES.plus1, SERIES.minus1],
      [SERIES.minus1, SERIES.minus2],
      [SERIES.minus2, SERIES.lcl],
    ]);
  });

  it('leaves the latency dots to uPlot, which draws them only where they have room; failed probes are always dots', () => {
    const c = config(true);
    expect(c.series[SERIES.latency].points?.show).toBeUndefined();
    expect(c.series[SERIES.failed].points?.show).toBe(true);
  });

  it('uses a log latency axis when asked', () => {
    expect(config(true, true).scales?.ms).toMatchObject({ distr: 3, log: 10 });
    expect(config(true, false).scales?.ms).toMatchObject({ distr: 1 });
  });

  it('leaves the zones out when the option is off', () => {
    expect(config(false).bands).toBeUndefined();
  });

  it('zooms by horizontal drag without rescaling the plot itself', () => {
    expect(config(true).cursor?.drag).toMatchObject({ x: true, y: false, setScale: false });
  });
});
