/**
 * Where the violation markers were painted on the chart's canvas, in CSS pixels of the plot
 * area, and which flagged point each one is. The markers are canvas paint, not elements
 * (1 000 positioned buttons cost seconds of layout, docs/performance.md); a click or the
 * keyboard finds its marker through this layout.
 */
export interface MarkerLayout {
  /** Markers inside the plot, in the order of the points (time order). */
  count: number;
  x: Float64Array;
  y: Float64Array;
  radius: Float64Array;
  /** Higher layers are painted later (on top) and take the click where markers overlap. */
  layer: Uint8Array;
  /** Index into the flagged points. */
  point: Int32Array;
}

export const EMPTY_LAYOUT: MarkerLayout = {
  count: 0,
  x: new Float64Array(0),
  y: new Float64Array(0),
  radius: new Float64Array(0),
  layer: new Uint8Array(0),
  point: new Int32Array(0),
};

export function createLayout(capacity: number): MarkerLayout {
  return {
    count: 0,
    x: new Float64Array(capacity),
    y: new Float64Array(capacity),
    radius: new Float64Array(capacity),
    layer: new Uint8Array(capacity),
    point: new Int32Array(capacity),
  };
}

/**
 * The slot of the marker under (x, y): of the markers whose disc, widened by `slop` pixels
 * for an easier click, holds the point, the one on the top layer, and of those the nearest.
 * null when no marker is there.
 */
export function markerAt(layout: MarkerLayout, x: number, y: number, slop = 3): number | null {
  let best: number | null = null;
  let bestLayer = -1;
  let bestDistance = Infinity;
  for (let k = 0; k < layout.count; k++) {
    const dx = layout.x[k] - x;
    const dy = layout.y[k] - y;
    const distance = Math.sqrt(dx * dx + dy * dy);
    if (distance > layout.radius[k] + slop) {
      continue;
    }
    const layer = layout.layer[k];
    if (layer > bestLayer || (layer === bestLayer && distance < bestDistance)) {
      best = k;
      bestLayer = layer;
      bestDistance = distance;
    }
  }
  return best;
}
