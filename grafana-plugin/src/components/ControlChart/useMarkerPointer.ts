import React, { useRef } from 'react';
import type uPlot from 'uplot';
import { type MarkerLayout, markerAt } from '../../calcs/markerHitTest';
import type { FlaggedPoint } from '../../types';

/** A press that moves further than this many CSS pixels is a drag (zoom), not a click. */
const CLICK_SLOP_PX = 4;

/**
 * Mouse handlers for the element around the plot: a click on a painted marker opens the
 * drawer (hit-tested against the layout), and the pointer turns into a hand over one. They
 * are React handlers, not listeners on uPlot's layer, so the drawer opens from a React event
 * as it does from the violation list (the drawer's Escape then works the same way).
 */
export function useMarkerPointer(
  plot: uPlot | null,
  layout: MarkerLayout,
  points: readonly FlaggedPoint[],
  onSelect: (sampleIndex: number) => void
) {
  const down = useRef<{ x: number; y: number } | null>(null);
  const slotAt = (e: React.MouseEvent) => {
    if (!plot || !(e.target instanceof Node) || !plot.over.contains(e.target)) {
      return null;
    }
    const rect = plot.over.getBoundingClientRect();
    return markerAt(layout, e.clientX - rect.left, e.clientY - rect.top);
  };
  return {
    onMouseDown: (e: React.MouseEvent) => {
      down.current = { x: e.clientX, y: e.clientY };
    },
    onClick: (e: React.MouseEvent) => {
      const start = down.current;
      down.current = null;
      if (start !== null && Math.hypot(e.clientX - start.x, e.clientY - start.y) > CLICK_SLOP_PX) {
        return;
      }
      const slot = slotAt(e);
      if (slot !== null) {
        onSelect(points[layout.point[slot]].sampleIndex);
      }
    },
    onMouseMove: (e: React.MouseEvent) => {
      // The target is uPlot's cursor layer whenever slotAt finds a marker (the list above it takes no pointer).
      const slot = slotAt(e);
      if (e.target instanceof HTMLElement && plot?.over === e.target) {
        e.target.style.cursor = slot === null ? '' : 'pointer';
      }
    },
  };
}
