import { type AbsoluteTimeRange, type GrafanaTheme2, colorManipulator } from '@grafana/data';
import {
  AxisPlacement,
  GraphDrawStyle,
  LineInterpolation,
  ScaleDirection,
  ScaleDistribution,
  ScaleOrientation,
  type TimeZone,
  VisibilityMode,
} from '@grafana/schema';
import { UPlotConfigBuilder } from '@grafana/ui';
import type uPlot from 'uplot';
import { SERIES } from './chartData';

export interface ChartConfigOptions {
  theme: GrafanaTheme2;
  timeZone: TimeZone;
  showZones: boolean;
  logScale: boolean;
  /** Read at draw time, so a new time range does not rebuild the plot. */
  getXRange: () => [number, number];
  /** Read at draw time, like the x range. */
  getYRange: () => [number, number];
  onZoom: (range: AbsoluteTimeRange) => void;
  onDraw: (plot: uPlot) => void;
  /** Every cursor move (hover tooltip, shared crosshair). */
  onCursor: (plot: uPlot) => void;
}

/** A drag narrower than this many CSS pixels is a click, not a zoom. */
const MIN_ZOOM_PX = 5;
const ZONE_ALPHA = 0.12;

/**
 * The control chart: latency line, centre line, dashed UCL/LCL, and the zones between them
 * shaded as a quality engineer reads them: C (within 1σ) green, B (1–2σ) amber, A (2–3σ) red.
 */
export function buildChartConfig(opts: ChartConfigOptions): UPlotConfigBuilder {
  const { theme } = opts;
  const builder = new UPlotConfigBuilder(opts.timeZone);
  const color = (name: string) => theme.visualization.getColorByName(name);
  const transparent = 'rgba(0,0,0,0)';

  builder.addScale({
    scaleKey: 'x',
    isTime: true,
    orientation: ScaleOrientation.Horizontal,
    direction: ScaleDirection.Right,
    range: () => opts.getXRange(),
  });
  builder.addScale({
    scaleKey: 'ms',
    orientation: ScaleOrientation.Vertical,
    direction: ScaleDirection.Up,
    ...(opts.logScale ? { distribution: ScaleDistribution.Log, log: 10 } : {}),
    range: () => opts.getYRange(),
  });
  builder.addAxis({ scaleKey: 'x', isTime: true, placement: AxisPlacement.Bottom, timeZone: opts.timeZone, theme });
  builder.addAxis({
    scaleKey: 'ms',
    placement: AxisPlacement.Left,
    label: opts.logScale ? 'Latency (ms, log scale)' : 'Latency (ms)',
    ...(opts.logScale ? { distr: ScaleDistribution.Log } : {}),
    formatValue: (v: number) => `${Math.round(v * 100) / 100}`,
    theme,
  });

  const line = (
    lineColor: string,
    extra: Partial<Parameters<UPlotConfigBuilder['addSeries']>[0]> = {}
  ): Parameters<UPlotConfigBuilder['addSeries']>[0] => ({
    scaleKey: 'ms',
    theme,
    lineColor,
    lineWidth: 1,
    drawStyle: GraphDrawStyle.Line,
    lineInterpolation: LineInterpolation.StepAfter,
    showPoints: VisibilityMode.Never,
    spanNulls: false,
    ...extra,
  });

  const limitColor = theme.colors.error.main;
  // Order must match SERIES in chartData.ts.
  // Points only where they have room (uPlot's own test, as Grafana's time series panel does):
  // on a week every probe's dot would be thousands of canvas arcs that merge into the line.
  builder.addSeries(
    line(color('blue'), {
      lineWidth: 1.5,
      lineInterpolation: LineInterpolation.Linear,
      showPoints: VisibilityMode.Auto,
      pointSize: 4,
      spanNulls: true,
    })
  );
  builder.addSeries(
    line(theme.colors.text.disabled, {
      drawStyle: GraphDrawStyle.Points,
      showPoints: VisibilityMode.Always,
      pointSize: 6,
    })
  );
  builder.addSeries(line(color('green'), { lineWidth: 1.5 }));
  builder.addSeries(line(limitColor, { lineWidth: 1.5, lineStyle: { fill: 'dash', dash: [8, 5] } }));
  builder.addSeries(line(limitColor, { lineWidth: 1.5, lineStyle: { fill: 'dash', dash: [8, 5] } }));
  const zoneLine = (c: string) =>
    line(opts.showZones ? colorManipulator.alpha(c, 0.45) : transparent, {
      lineStyle: { fill: 'dot', dash: [2, 4] },
    });
  builder.addSeries(zoneLine(theme.colors.warning.main));
  builder.addSeries(zoneLine(color('green')));
  builder.addSeries(zoneLine(color('green')));
  builder.addSeries(zoneLine(theme.colors.warning.main));

  if (opts.showZones) {
    const band = (upper: number, lower: number, c: string) =>
      builder.addBand({ series: [upper, lower], fill: colorManipulator.alpha(c, ZONE_ALPHA) });
    band(SERIES.ucl, SERIES.plus2, theme.colors.error.main);
    band(SERIES.plus2, SERIES.plus1, theme.colors.warning.main);
    band(SERIES.plus1, SERIES.minus1, color('green'));
    band(SERIES.minus1, SERIES.minus2, theme.colors.warning.main);
    band(SERIES.minus2, SERIES.lcl, theme.colors.error.main);
  }

  builder.setCursor({ drag: { x: true, y: false, setScale: false } });
  builder.addHook('setSelect', (u: uPlot) => {
    const { left, width } = u.select;
    if (width >= MIN_ZOOM_PX) {
      opts.onZoom({ from: u.posToVal(left, 'x'), to: u.posToVal(left + width, 'x') });
    }
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  });
  builder.addHook('draw', (u: uPlot) => opts.onDraw(u));
  builder.addHook('setCursor', (u: uPlot) => opts.onCursor(u));
  return builder;
}
