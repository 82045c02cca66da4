import React, { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { type AbsoluteTimeRange, DataHoverClearEvent, DataHoverEvent, type EventBus } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { UPlotChart, useTheme2 } from '@grafana/ui';
import type uPlot from 'uplot';
import type { FlaggedPoint, LatencyAxis, Sample } from '../../types';
import { rowsToDraw } from '../../calcs/rowsToDraw';
import { buildChartConfig } from './chartConfig';
import { chartData, latencyRange, isLogAxis } from './chartData';
import type { ModelEvent } from '../../data/modelEvents';
import { type CursorListener, HoverTooltip } from './HoverTooltip';
import { ModelEventLines } from './ModelEventLines';
import { ViolationMarkers } from './ViolationMarkers';

interface Props {
  samples: readonly Sample[];
  points: readonly FlaggedPoint[];
  width: number;
  height: number;
  timeZone: TimeZone;
  xRange: [number, number];
  showZones: boolean;
  latencyAxis: LatencyAxis;
  onZoom: (range: AbsoluteTimeRange) => void;
  onSelectPoint: (sampleIndex: number) => void;
  /** Model loads/evictions from the dashboard's annotations, drawn as vertical lines. */
  modelEvents?: readonly ModelEvent[];
  /** The panel's event bus: the cursor is shared with the dashboard (shared crosshair). */
  eventBus?: EventBus;
}

export function ControlChart(props: Props) {
  const { samples, points, width, height, timeZone, xRange, showZones, latencyAxis, onZoom, onSelectPoint, eventBus, modelEvents } = props;
  const theme = useTheme2();
  const [plot, setPlot] = useState<uPlot | null>(null);
  // Markers follow the plot: every redraw (resize, data, zoom) bumps this to re-place them.
  const [drawCount, setDrawCount] = useState(0);
  // The plot is built once per look (theme, axis); it reads the ranges and the zoom callback
  // through these refs when it draws, which is after this render commits, never during it.
  /* eslint-disable react-hooks/refs */
  const xRangeRef = useRef(xRange);
  xRangeRef.current = xRange;
  const logScale = isLogAxis(samples, latencyAxis);
  const yRange = useMemo(() => latencyRange(samples, logScale), [samples, logScale]);
  const yRangeRef = useRef(yRange);
  yRangeRef.current = yRange;
  const onZoomRef = useRef(onZoom);
  onZoomRef.current = onZoom;
  const eventBusRef = useRef(eventBus);
  eventBusRef.current = eventBus;
  const cursorListener = useRef<CursorListener | null>(null);
  // Set while the cursor follows another panel, so that the move is not published back.
  const following = useRef(false);
  const hoverId = useId();

  const config = useMemo(
    () =>
      buildChartConfig({
        theme,
        timeZone,
        showZones,
        logScale,
        getXRange: () => xRangeRef.current,
        getYRange: () => yRangeRef.current,
        onZoom: (range) => onZoomRef.current(range),
        onDraw: () => setDrawCount((c) => c + 1),
        onCursor: (u) => {
          cursorListener.current?.(u);
          const bus = eventBusRef.current;
          if (!bus || following.current) {
            return;
          }
          const left = u.cursor.left ?? -1;
          if (left < 0) {
            bus.publish(new DataHoverClearEvent());
          } else {
            bus.publish(new DataHoverEvent({ point: { time: u.posToVal(left, 'x') }, dataId: hoverId }));
          }
        },
      }),
    [theme, timeZone, showZones, logScale, hoverId]
  );
  /* eslint-enable react-hooks/refs */
  // Device pixels, so a high-density screen gets the detail it can show.
  const columns = Math.max(1, Math.ceil(width * (window.devicePixelRatio || 1)));
  const rows = useMemo(
    () => rowsToDraw(samples, xRange, columns, points.map((p) => p.sampleIndex)),
    [samples, xRange, columns, points]
  );
  const data = useMemo(() => chartData(samples, yRange, rows ?? undefined), [samples, yRange, rows]);
  const plotRef = useCallback((u: uPlot) => setPlot(u), []);
  const listen = useCallback((listener: CursorListener | null) => {
    cursorListener.current = listener;
  }, []);

  // The dashboard's shared crosshair: follow the time another panel hovers.
  useEffect(() => {
    if (!plot || !eventBus) {
      return;
    }
    const follow = (left: number, top: number) => {
      following.current = true;
      plot.setCursor({ left, top });
      following.current = false;
    };
    const hovers = eventBus.getStream(DataHoverEvent).subscribe((event) => {
      const time = event.payload.point.time;
      if (event.payload.dataId === hoverId || typeof time !== 'number') {
        return;
      }
      follow(plot.valToPos(time, 'x'), plot.over.clientHeight / 2);
    });
    const clears = eventBus.getStream(DataHoverClearEvent).subscribe(() => follow(-10, -10));
    return () => {
      hovers.unsubscribe();
      clears.unsubscribe();
    };
  }, [plot, eventBus, hoverId]);

  return (
    <div data-testid="spc-control-chart" aria-label="Control chart of latency" role="figure">
      <UPlotChart config={config} data={data} width={width} height={height} plotRef={plotRef}>
        {plot && modelEvents && modelEvents.length > 0 && <ModelEventLines plot={plot} events={modelEvents} drawCount={drawCount} />}
        {plot && <HoverTooltip plot={plot} samples={samples} rows={rows} points={points} listen={listen} />}
        {plot && (
          <ViolationMarkers
            plot={plot}
            points={points}
            samples={samples}
            drawCount={drawCount}
            onSelect={onSelectPoint}
          />
        )}
      </UPlotChart>
    </div>
  );
}
