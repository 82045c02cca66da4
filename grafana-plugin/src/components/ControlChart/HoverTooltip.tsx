import React, { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { deviationFromStoredLimits } from '@llmscope/spc';
import type uPlot from 'uplot';
import { formatSigma, formatTime } from '../../calcs/telemetry';
import type { SampleTable } from '../../data/sampleTable';
import type { FlaggedPoint } from '../../types';

export type CursorListener = (plot: uPlot) => void;

interface Props {
  plot: uPlot;
  table: SampleTable;
  /** The rows drawn (see rowsToDraw): uPlot's cursor index counts these, not the samples. */
  rows: readonly number[] | null;
  points: readonly FlaggedPoint[];
  /** Registers the listener the chart calls from uPlot's setCursor hook. */
  listen: (listener: CursorListener | null) => void;
}

interface Hover {
  sampleIndex: number;
  left: number;
  top: number;
}

const OFFSET = 12;
const WIDTH = 230;

/**
 * The hover tooltip: time, latency, status, deviation from the centre in σ and the rules that
 * flagged the point under the cursor. It keeps its own state so that a mouse move re-renders
 * the tooltip only, not the chart and its markers.
 */
export function HoverTooltip({ plot, table, rows, points, listen }: Props) {
  const styles = useStyles2(getStyles);
  const [hover, setHover] = useState<Hover | null>(null);
  useEffect(() => {
    listen((u) => {
      const idx = u.cursor.idx;
      const left = u.cursor.left ?? -1;
      if (idx === null || idx === undefined || left < 0) {
        setHover(null);
        return;
      }
      const sampleIndex = rows ? rows[idx] : idx;
      setHover(sampleIndex === undefined ? null : { sampleIndex, left, top: u.cursor.top ?? 0 });
    });
    return () => listen(null);
  }, [listen, rows]);

  const sample = hover && hover.sampleIndex < table.length ? table.at(hover.sampleIndex) : undefined;
  if (!hover || !sample) {
    return null;
  }
  const rules = points.find((p) => p.sampleIndex === hover.sampleIndex)?.violations.map((v) => v.rule) ?? [];
  const deviation =
    sample.status === 'ok' ? deviationFromStoredLimits(sample.latencyMs, sample.center, sample.ucl, sample.lcl) : null;
  const plotWidth = plot.over.clientWidth;
  const left = hover.left + OFFSET + WIDTH > plotWidth ? hover.left - OFFSET - WIDTH : hover.left + OFFSET;
  return createPortal(
    <div
      className={styles.tooltip}
      style={{ left, top: hover.top + OFFSET, width: WIDTH }}
      data-testid="spc-hover-tooltip"
      role="tooltip"
    >
      <div className={styles.time}>{formatTime(sample.time)}</div>
      <dl className={styles.list}>
        <dt>Latency</dt>
        <dd>{sample.latencyMs === null ? '—' : `${sample.latencyMs.toFixed(1)} ms`}</dd>
        <dt>Status</dt>
        <dd>
          {sample.status}
          {sample.coldStart ? ' · cold start' : ''}
        </dd>
        {sample.error && (
          <>
            <dt>Error</dt>
            <dd className={styles.error}>{sample.error}</dd>
          </>
        )}
        <dt>Deviation</dt>
        <dd>{formatSigma(deviation)}</dd>
        <dt>Rules</dt>
        <dd>{rules.length > 0 ? rules.join(', ') : 'none'}</dd>
      </dl>
    </div>,
    plot.over
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'absolute',
    zIndex: 10,
    pointerEvents: 'none',
    padding: theme.spacing(1),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  time: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  list: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1),
    margin: 0,
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0, overflowWrap: 'anywhere' },
  }),
  error: css({ color: theme.colors.error.text }),
});
