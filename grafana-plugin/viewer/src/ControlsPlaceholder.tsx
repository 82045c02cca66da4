import React from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { Stack, useStyles2 } from '@grafana/ui';
import type * as api from './api';

/**
 * What Controls' fields measure in the page (label and input; the Refresh button is only an
 * input high), in their order, so the placeholder wraps as the controls do and the chart does
 * not move when they come.
 */
const BOXES: ReadonlyArray<{ width: number; height: number; shows?: keyof api.SeriesKey }> = [
  { width: 176, height: 51, shows: 'target' },
  { width: 208, height: 51, shows: 'model' },
  { width: 144, height: 51, shows: 'probe' },
  { width: 317, height: 51 },
  { width: 211, height: 51 },
  { width: 106, height: 32 },
  { width: 272, height: 51 },
];

/** The header until the controls' chunk is loaded (after the chart's first paint): the series on view. */
export function ControlsPlaceholder({ series }: { series: api.SeriesKey | null }) {
  const styles = useStyles2(getStyles);
  return (
    <Stack gap={1} alignItems="flex-end" wrap="wrap" data-testid="viewer-controls-placeholder">
      {BOXES.map((box, i) => (
        <div key={i} className={styles.box} style={{ width: box.width, height: box.height }}>
          {box.shows && series ? series[box.shows] : null}
        </div>
      ))}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    display: 'flex',
    alignItems: 'flex-end',
    paddingBottom: theme.spacing(0.75),
    paddingLeft: theme.spacing(1),
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  }),
});
