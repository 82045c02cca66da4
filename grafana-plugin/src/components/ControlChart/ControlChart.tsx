import React, { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { type AbsoluteTimeRange, DataHoverClearEvent, DataHoverEvent, type EventBus } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { UPlotChart, useTheme2 } from '@grafana/ui';
import type uPlot from 'uplot';
import { EMPTY_LAYOUT, type MarkerLayout } from '../../calcs/markerHitTest';
import type { SampleTable } from '../../data/sampleTable';
import type { FlaggedPoint, LatencyAxis } from '../../types';
import { severityColor } from '../severityColor';
import { rowsToDraw } from '../../calcs/rowsToDraw';
import { buildChartConfig } from './chartConfig';
import { chartData, latencyRange, isLogAxis } from './chartData';
import type { ModelEvent } from '../../data/modelEvents';
import { type CursorListener, HoverTooltip } from './HoverTooltip';
import { ModelEventLines } from './ModelEventLines';
import { layoutMarkers, type MarkerColors, paintMarkers } from './markerPaint';
import { useMarkerPointer } from './useMarkerPointer';
import { ViolationMarkers } from './ViolationMarkers';

interface Props {
  table: SampleTable;
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
  /** After every draw of the plot, markers included. */
  onDrawn?: () => void;
}

const NOTHING_PAINTED = { layout: EMPTY_LAYOUT, points: [] };

export function ControlChart(props: Props) {
  const {
    table,
    points,
    width,
    height,
    timeZone,
    xRange,
    showZones,
    latencyAxis,
    onZoom,
    onSelectPoint,
    eventBus,
    modelEvents,
    onDrawn,
  } = props;
  const theme = useTheme2();
  const [plot, setPlot] = useState<uPlot | null>(null);
  // Overlays follow the plot: every redraw (resize, data, zoom) bumps this to re-place them.
  const [drawCount, setDrawCount] = useState(0);
  // Where the last draw painted the markers: clicks and the keyboard find them through it.
  // The points are the ones that layout was made for: a filter changes them before the repaint.
  const [painted, setPainted] = useState<{ layout: MarkerLayout; points: readonly FlaggedPoint[] }>(NOTHING_PAINTED);
  // The plot is built once per look (theme, axis); it reads the ranges and the zoom callback
  // through these refs when it draws, which is after this render commits, never during it.
  /* eslint-disable react-hooks/refs */
  const xRangeRef = useRef(xRange);
  xRangeRef.current = xRange;
  const logScale = isLogAxis(table, latencyAxis);
  const yRange = useMemo(() => latencyRange(table, logScale), [table, logScale]);
  const yRangeRef = useRef(yRange);
  yRangeRef.current = yRange;
  const onZoomRef = useRef(onZoom);
  onZoomRef.current = onZoom;
  const eventBusRef = useRef(eventBus);
  eventBusRef.current = eventBus;
  const onDrawnRef = useRef(onDrawn);
  onDrawnRef.current = onDrawn;
  // The draw hook paints the markers of the latest render (points and table change without
  // rebuilding the plot); paintedPoints says which points the canvas shows.
  const markersRef = useRef({ points, table });
  markersRef.current = { points, table };
  const paintedPoints = useRef<readonly FlaggedPoint[] | null>(null);
  const colors = useMemo<MarkerColors>(
    () => ({
      severity: {
        critical: severityColor(theme, 'critical'),
        warning: severityColor(theme, 'warning'),
        info: severityColor(theme, 'info'),
      },
      border: theme.colors.background.primary,
      ring: theme.colors.text.primary,
    }),
    [theme]
  );
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
        onDraw: (u) => {
          const current = markersRef.current;
          const placed = layoutMarkers(u, current.points, current.table);
          paintMarkers(u, placed, current.points, colors, window.devicePixelRatio || 1);
          paintedPoints.current = current.points;
          setPainted({ layout: placed, points: current.points });
          setDrawCount((c) => c + 1);
          onDrawnRef.current?.();
        },
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
    [theme, timeZone, showZones, logScale, hoverId, colors]
  );
  /* eslint-enable react-hooks/refs */
  // Device pixels, so a high-density screen gets the detail it can show.
  const columns = Math.max(1, Math.ceil(width * (window.devicePixelRatio || 1)));
  const rows = useMemo(
    () =>
      rowsToDraw(
        table,
        xRange,
        columns,
        points.map((p) => p.sampleIndex)
      ),
    [table, xRange, columns, points]
  );
  const data = useMemo(() => chartData(table, yRange, rows ?? undefined), [table, yRange, rows]);
  // New points over the same drawn data (a filter whose rows did not change): repaint.
  useEffect(() => {
    if (plot && paintedPoints.current !== points) {
      plot.redraw(false);
    }
  }, [plot, points]);
  const plotRef = useCallback((u: uPlot) => setPlot(u), []);
  const pointer = useMarkerPointer(plot, painted.layout, painted.points, onSelectPoint);
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
    <div data-testid="spc-control-chart" aria-label="Control chart of latency" role="figure" {...pointer}>
      <UPlotChart config={config} data={data} width={width} height={height} plotRef={plotRef}>
        {plot && modelEvents && modelEvents.length > 0 && (
          <ModelEventLines plot={plot} events={modelEvents} drawCount={drawCount} />
        )}
        {plot && <HoverTooltip plot={plot} table={table} rows={rows} points={points} listen={listen} />}
        {plot && (
          <ViolationMarkers
            plot={plot}
            layout={painted.layout}
            points={painted.points}
            table={table}
            onSelect={onSelectPoint}
          />
        )}
      </UPlotChart>
    </div>
  );
}
