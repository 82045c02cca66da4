import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { formatNumber, formatTime } from '../../calcs/telemetry';
import type { FlaggedPoint, Sample } from '../../types';
import { severityColor } from '../severityColor';

interface Props {
  points: readonly FlaggedPoint[];
  samples: readonly Sample[];
  onSelect: (sampleIndex: number) => void;
}

/** The filtered violations, newest first; each opens the drawer like its marker does. */
export function ViolationList({ points, samples, onSelect }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  if (points.length === 0) {
    return <p className={styles.empty}>No violations for the selected rules.</p>;
  }
  return (
    <ul className={styles.list} aria-label="Violations" data-testid="spc-violation-list">
      {[...points].reverse().map((p) => {
        const s = samples[p.sampleIndex];
        return (
          <li key={p.sampleIndex}>
            <button type="button" className={styles.item} onClick={() => onSelect(p.sampleIndex)}>
              <span className={styles.dot} style={{ background: severityColor(theme, p.severity) }} />
              <span className={styles.rules}>{p.violations.map((v) => v.rule).join(', ')}</span>
              <span className={styles.meta}>
                {formatTime(s.time).slice(11, 19)} · {formatNumber(s.latencyMs, 0)} ms
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', margin: 0, padding: 0, overflowY: 'auto', flex: 1, minHeight: 0 }),
  item: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: '100%',
    background: 'none',
    border: 'none',
    color: theme.colors.text.primary,
    padding: theme.spacing(0.25, 0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    cursor: 'pointer',
    textAlign: 'left',
    '&:hover': { background: theme.colors.action.hover },
  }),
  dot: css({ width: 8, height: 8, borderRadius: '50%', flexShrink: 0 }),
  rules: css({ fontWeight: theme.typography.fontWeightMedium }),
  meta: css({ marginLeft: 'auto', color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  empty: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
