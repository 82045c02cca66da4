import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { deviationFromStoredLimits } from '@llmscope/spc';
import { formatNumber, formatSigma, formatTime } from '../../calcs/telemetry';
import { CONTEXT_RADIUS, windowAround } from '../../calcs/window';
import type { SampleTable } from '../../data/sampleTable';

/** The ±10 points around the violation (story 1.2, docs/architecture.md), the violating row highlighted. */
export function ContextTable({ table, index }: { table: SampleTable; index: number }) {
  const styles = useStyles2(getStyles);
  const { rows, focus } = windowAround(table, index, CONTEXT_RADIUS);
  return (
    <section aria-label="Context" className={styles.section}>
      <h4>Context: ±{CONTEXT_RADIUS} points</h4>
      <table className={styles.table} data-testid="spc-context-table">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Latency (ms)</th>
            <th>Deviation (σ)</th>
            <th>Status</th>
            <th>Tokens</th>
            <th>Eval duration (ms)</th>
            <th>CPU %</th>
            <th>GPU %</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s, i) => (
            <tr
              key={s.index}
              className={cx(i === focus && styles.focus)}
              aria-current={i === focus ? 'true' : undefined}
              data-violation={i === focus ? 'true' : undefined}
            >
              <td title={formatTime(s.time)}>{formatTime(s.time).slice(11)}</td>
              <td>{formatNumber(s.latencyMs, 1)}</td>
              <td>{formatSigma(deviationFromStoredLimits(s.latencyMs, s.center, s.ucl, s.lcl))}</td>
              <td>{s.status}</td>
              <td>{formatNumber(s.evalCount)}</td>
              <td>{formatNumber(s.evalDurationMs, 3)}</td>
              <td>{formatNumber(s.cpuPercent, 1)}</td>
              <td>{formatNumber(s.gpuPercent, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ marginBottom: theme.spacing(2), overflowX: 'auto' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
    'th, td': {
      padding: theme.spacing(0.25, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'right',
      whiteSpace: 'nowrap',
    },
    'th:first-child, td:first-child': { textAlign: 'left' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  focus: css({
    background: theme.colors.error.transparent,
    fontWeight: theme.typography.fontWeightBold,
    outline: `1px solid ${theme.colors.error.border}`,
  }),
});
