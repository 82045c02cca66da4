import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { listWindow } from '../../calcs/listWindow';
import { formatNumber, formatTime } from '../../calcs/telemetry';
import type { SampleTable } from '../../data/sampleTable';
import type { FlaggedPoint } from '../../types';
import { severityColor } from '../severityColor';

interface Props {
  points: readonly FlaggedPoint[];
  table: SampleTable;
  onSelect: (sampleIndex: number) => void;
}

const ROW_HEIGHT = 24;
/** Rows rendered before the list knows its height (and where it cannot measure, as in tests). */
const FALLBACK_VIEWPORT = 480;

/**
 * The filtered violations, newest first; each opens the drawer like its marker does. Only the
 * rows in view are rendered (listWindow.ts), with the rest kept as padding so the scroll bar
 * and each row's position in the set (aria-posinset) stay true.
 */
export function ViolationList({ points, table, onSelect }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) {
      return;
    }
    const measure = () => setViewport(scroller.clientHeight || FALLBACK_VIEWPORT);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [points.length]);
  if (points.length === 0) {
    return <p className={styles.empty}>No violations for the selected rules.</p>;
  }
  const count = points.length;
  const { start, end, before, after } = listWindow(count, ROW_HEIGHT, scrollTop, viewport);
  const rows: React.ReactNode[] = [];
  for (let position = start; position < end; position++) {
    const p = points[count - 1 - position];
    const s = table.at(p.sampleIndex);
    rows.push(
      <li key={p.sampleIndex} aria-posinset={position + 1} aria-setsize={count} style={{ height: ROW_HEIGHT }}>
        <button type="button" className={styles.item} onClick={() => onSelect(p.sampleIndex)}>
          <span className={styles.dot} style={{ background: severityColor(theme, p.severity) }} />
          <span className={styles.rules}>{p.violations.map((v) => v.rule).join(', ')}</span>
          <span className={styles.meta}>
            {formatTime(s.time).slice(11, 19)} · {formatNumber(s.latencyMs, 0)} ms
          </span>
        </button>
      </li>
    );
  }
  // The padding is on the list inside the scroller, not on the scroller: a border-box element
  // is never shorter than its padding, so a padded scroller would measure the whole list's
  // height as its viewport and render every row.
  return (
    <div ref={scrollerRef} className={styles.scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul
        className={styles.list}
        aria-label="Violations"
        data-testid="spc-violation-list"
        data-count={count}
        style={{ paddingTop: before, paddingBottom: after }}
      >
        {rows}
      </ul>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroller: css({ overflowY: 'auto', flex: 1, minHeight: 0 }),
  list: css({ listStyle: 'none', margin: 0, paddingLeft: 0, paddingRight: 0 }),
  item: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: '100%',
    height: '100%',
    background: 'none',
    border: 'none',
    color: theme.colors.text.primary,
    padding: theme.spacing(0, 0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    cursor: 'pointer',
    textAlign: 'left',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    '&:hover': { background: theme.colors.action.hover },
  }),
  dot: css({ width: 8, height: 8, borderRadius: '50%', flexShrink: 0 }),
  rules: css({ fontWeight: theme.typography.fontWeightMedium, overflow: 'hidden', textOverflow: 'ellipsis' }),
  meta: css({ marginLeft: 'auto', color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  empty: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
