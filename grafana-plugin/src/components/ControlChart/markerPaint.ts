import type { Severity } from '@llmscope/spc';
import type uPlot from 'uplot';
import { createLayout, type MarkerLayout } from '../../calcs/markerHitTest';
import type { SampleTable } from '../../data/sampleTable';
import type { FlaggedPoint } from '../../types';

export const MARKER_SIZE: Record<Severity, number> = { critical: 11, warning: 9, info: 9 };
/** Where markers overlap, the more severe one is painted last, on top, and takes the click. */
export const MARKER_LAYER: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };

export interface MarkerColors {
  severity: Record<Severity, string>;
  /** The gap between disc and ring, in the panel's background colour. */
  border: string;
  ring: string;
}

/** Places each flagged point on the plot: CSS pixels of the plot area, as hit-testing uses them. */
export function layoutMarkers(u: uPlot, points: readonly FlaggedPoint[], table: SampleTable): MarkerLayout {
  const layout = createLayout(points.length);
  const xMin = u.scales.x.min ?? -Infinity;
  const xMax = u.scales.x.max ?? Infinity;
  // A flagged timeout sits where its point is drawn: pinned to the edge of the axis.
  const yMin = u.scales.ms?.min ?? -Infinity;
  const yMax = u.scales.ms?.max ?? Infinity;
  for (let k = 0; k < points.length; k++) {
    const index = points[k].sampleIndex;
    const time = table.time[index];
    const latency = table.latency[index];
    if (latency !== latency || !(time >= xMin && time <= xMax)) {
      continue;
    }
    const x = u.valToPos(time, 'x');
    const y = u.valToPos(Math.min(Math.max(latency, yMin), yMax), 'ms');
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      continue;
    }
    const slot = layout.count++;
    layout.x[slot] = x;
    layout.y[slot] = y;
    layout.radius[slot] = MARKER_SIZE[points[k].severity] / 2;
    layout.layer[slot] = MARKER_LAYER[points[k].severity];
    layout.point[slot] = k;
  }
  return layout;
}

/**
 * Paints the markers on the plot's canvas after uPlot drew the series (its draw hook): a disc
 * in the severity colour with a gap and a thin ring, and a second outer ring for a signal that
 * became an alert (docs/alerting.md). Lower layers first, so the most severe is on top.
 */
export function paintMarkers(
  u: uPlot,
  layout: MarkerLayout,
  points: readonly FlaggedPoint[],
  colors: MarkerColors,
  pixelRatio: number
) {
  const ctx = u.ctx;
  const left = u.bbox.left;
  const top = u.bbox.top;
  ctx.save();
  for (let layer = 1; layer <= 3; layer++) {
    for (let k = 0; k < layout.count; k++) {
      if (layout.layer[k] !== layer) {
        continue;
      }
      const point = points[layout.point[k]];
      const x = left + layout.x[k] * pixelRatio;
      const y = top + layout.y[k] * pixelRatio;
      const r = layout.radius[k] * pixelRatio;
      const fill = colors.severity[point.severity];
      if (point.alerted) {
        ring(ctx, x, y, r + 3 * pixelRatio, 3 * pixelRatio, fill);
      }
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.lineWidth = 2 * pixelRatio;
      ctx.strokeStyle = colors.border;
      ctx.stroke();
      ring(ctx, x, y, r + 1.5 * pixelRatio, pixelRatio, colors.ring);
    }
  }
  ctx.restore();
}

function ring(ctx: CanvasRenderingContext2D, x: number, y: number, radius: number, width: number, color: string) {
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
  ctx.lineWidth = width;
  ctx.strokeStyle = color;
  ctx.stroke();
}
