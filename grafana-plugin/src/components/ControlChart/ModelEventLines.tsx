import React from 'react';
import { createPortal } from 'react-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type uPlot from 'uplot';
import { formatTime } from '../../calcs/telemetry';
import type { ModelEvent } from '../../data/modelEvents';

interface Props {
  plot: uPlot;
  events: readonly ModelEvent[];
  /** Changes on every plot redraw, so the lines follow a zoom or resize. */
  drawCount: number;
}

/**
 * Model loads and evictions as vertical lines over the plot: a slow stretch that starts at a
 * load is a model load, not a process change. The label shows on hover.
 */
export function ModelEventLines({ plot, events }: Props) {
  const styles = useStyles2(getStyles);
  const xMin = plot.scales.x.min ?? -Infinity;
  const xMax = plot.scales.x.max ?? Infinity;
  const lines = events
    .filter((e) => e.time >= xMin && e.time <= xMax)
    .map((e, i) => (
      <div
        key={`${e.time}-${i}`}
        className={styles.line}
        style={{ left: plot.valToPos(e.time, 'x') }}
        data-testid="spc-model-event"
        data-kind={e.kind}
        title={`${formatTime(e.time)} · ${e.text}`}
      />
    ));
  return createPortal(<>{lines}</>, plot.over);
}

const getStyles = (theme: GrafanaTheme2) => ({
  line: css({
    position: 'absolute',
    top: 0,
    bottom: 0,
    width: 0,
    borderLeft: `1px dashed ${theme.visualization.getColorByName('purple')}`,
    // A wider invisible hover target than the 1 px line.
    '&::after': { content: '""', position: 'absolute', top: 0, bottom: 0, left: -3, width: 6 },
    zIndex: 1,
  }),
});
