import React from 'react';
import { createPortal } from 'react-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type uPlot from 'uplot';
import { formatTime } from '../../calcs/telemetry';
import type { FlaggedPoint, Sample } from '../../types';
import { severityColor } from '../severityColor';

interface Props {
  plot: uPlot;
  points: readonly FlaggedPoint[];
  samples: readonly Sample[];
  /** Changes on every plot redraw; part of the props so React re-places the markers. */
  drawCount: number;
  onSelect: (sampleIndex: number) => void;
}

const SIZE = { critical: 11, warning: 9, info: 9 } as const;
/** Where markers overlap, the more severe one is on top and takes the click. */
const LAYER = { critical: 4, warning: 3, info: 2 } as const;

/**
 * Violation markers as buttons over the plot rather than canvas paint: they are clickable,
 * focusable and announced by screen readers. They live inside uPlot's cursor layer so that
 * plot coordinates are element coordinates.
 */
export function ViolationMarkers({ plot, points, samples, onSelect }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const xMin = plot.scales.x.min ?? -Infinity;
  const xMax = plot.scales.x.max ?? Infinity;
  const markers = points.flatMap((point) => {
    const sample = samples[point.sampleIndex];
    if (!sample || sample.latencyMs === null || sample.time < xMin || sample.time > xMax) {
      return [];
    }
    const left = plot.valToPos(sample.time, 'x');
    // A flagged timeout sits where its point is drawn: pinned to the edge of the axis.
    const yMin = plot.scales.ms.min ?? -Infinity;
    const yMax = plot.scales.ms.max ?? Infinity;
    const top = plot.valToPos(Math.min(Math.max(sample.latencyMs, yMin), yMax), 'ms');
    if (!Number.isFinite(left) || !Number.isFinite(top)) {
      return [];
    }
    const rules = point.violations.map((v) => v.rule).join(', ');
    const size = SIZE[point.severity];
    return [
      <button
        key={point.sampleIndex}
        type="button"
        className={styles.marker}
        data-testid="spc-violation-marker"
        data-severity={point.severity}
        data-sample-index={point.sampleIndex}
        data-alerted={point.alerted ? 'true' : undefined}
        aria-label={`${point.severity} violation ${rules}${point.alerted ? ' (alerted)' : ''} at ${formatTime(sample.time)}, ${sample.latencyMs.toFixed(1)} ms`}
        title={`${rules} (${point.severity})${point.alerted ? ', part of an alert' : ''} — ${sample.latencyMs.toFixed(1)} ms`}
        style={{
          left: left - size / 2,
          top: top - size / 2,
          width: size,
          height: size,
          zIndex: LAYER[point.severity],
          background: severityColor(theme, point.severity),
          // A signal that became an alert (docs/alerting.md) wears a second, outer ring.
          boxShadow: point.alerted
            ? `0 0 0 1px ${theme.colors.text.primary}, 0 0 0 4px ${severityColor(theme, point.severity)}`
            : undefined,
        }}
        // Keep uPlot from starting a drag-zoom under the marker.
        onMouseDown={(e) => e.stopPropagation()}
        onClick={() => onSelect(point.sampleIndex)}
      />,
    ];
  });
  return createPortal(<>{markers}</>, plot.over);
}

const getStyles = (theme: GrafanaTheme2) => ({
  marker: css({
    position: 'absolute',
    padding: 0,
    borderRadius: '50%',
    border: `2px solid ${theme.colors.background.primary}`,
    boxShadow: `0 0 0 1px ${theme.colors.text.primary}`,
    cursor: 'pointer',
    '&:hover, &:focus-visible': {
      transform: 'scale(1.4)',
      zIndex: 5,
      outline: 'none',
    },
  }),
});
