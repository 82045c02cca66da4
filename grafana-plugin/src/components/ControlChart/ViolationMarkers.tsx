import React, { useId, useState } from 'react';
import { createPortal } from 'react-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type uPlot from 'uplot';
import type { MarkerLayout } from '../../calcs/markerHitTest';
import { formatTime } from '../../calcs/telemetry';
import type { SampleTable } from '../../data/sampleTable';
import type { FlaggedPoint } from '../../types';
import { severityColor } from '../severityColor';

interface Props {
  plot: uPlot;
  /** Where the chart's draw hook painted the markers (markerPaint.ts). */
  layout: MarkerLayout;
  points: readonly FlaggedPoint[];
  table: SampleTable;
  onSelect: (sampleIndex: number) => void;
}

/**
 * The keyboard's way to the painted markers (the mouse's is useMarkerPointer): one focusable list whose only rendered option is the active marker (arrow keys, Home/End,
 * Enter), announced with its rules, time and latency. One element, not one button per marker:
 * a week's 1 000 buttons cost seconds of layout (docs/performance.md).
 */
export function ViolationMarkers({ plot, layout, points, table, onSelect }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const optionId = useId();
  const [activeSample, setActiveSample] = useState<number | null>(null);

  let active: number | null = null;
  for (let k = 0; k < layout.count && active === null; k++) {
    if (points[layout.point[k]].sampleIndex === activeSample) {
      active = k;
    }
  }
  const move = (slot: number) => {
    if (layout.count > 0) {
      setActiveSample(points[layout.point[Math.min(layout.count - 1, Math.max(0, slot))]].sampleIndex);
    }
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const current = active ?? -1;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        move(current + 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        move(current < 0 ? layout.count - 1 : current - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(layout.count - 1);
        break;
      case 'Enter':
      case ' ':
        if (active !== null) {
          onSelect(points[layout.point[active]].sampleIndex);
        }
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  let option: React.ReactNode = null;
  if (active !== null) {
    const point = points[layout.point[active]];
    const sample = table.at(point.sampleIndex);
    const rules = point.violations.map((v) => v.rule).join(', ');
    const size = layout.radius[active] * 2 + 8;
    option = (
      <div
        id={optionId}
        role="option"
        aria-selected="true"
        className={styles.focus}
        data-testid="spc-violation-marker"
        data-severity={point.severity}
        data-sample-index={point.sampleIndex}
        data-alerted={point.alerted ? 'true' : undefined}
        aria-label={`${point.severity} violation ${rules}${point.alerted ? ' (alerted)' : ''} at ${formatTime(sample.time)}, ${(sample.latencyMs ?? NaN).toFixed(1)} ms`}
        title={`${rules} (${point.severity})${point.alerted ? ', part of an alert' : ''}`}
        style={{
          left: layout.x[active] - size / 2,
          top: layout.y[active] - size / 2,
          width: size,
          height: size,
          borderColor: severityColor(theme, point.severity),
        }}
      />
    );
  }
  return createPortal(
    <div
      role="listbox"
      tabIndex={0}
      className={styles.layer}
      aria-label={`Violation markers: ${layout.count}. Arrow keys move between them, Enter opens one.`}
      aria-activedescendant={active === null ? undefined : optionId}
      data-testid="spc-violation-markers"
      data-count={layout.count}
      onKeyDown={onKeyDown}
      onFocus={() => active === null && move(0)}
    >
      {option}
    </div>,
    plot.over
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // Over the plot but transparent to the mouse: uPlot's cursor and drag-zoom keep working.
  layer: css({
    position: 'absolute',
    inset: 0,
    pointerEvents: 'none',
    outline: 'none',
    '&:focus-visible': { boxShadow: `inset 0 0 0 2px ${theme.colors.primary.border}` },
  }),
  focus: css({
    position: 'absolute',
    borderRadius: '50%',
    border: '2px solid',
    boxShadow: `0 0 0 1px ${theme.colors.text.primary}`,
    pointerEvents: 'none',
  }),
});
