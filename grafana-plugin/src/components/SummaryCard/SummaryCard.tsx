import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { SEVERITIES } from '@llmscope/contract';
import type { Summary } from '../../calcs/summary';
import type { AlertCounts } from '../../data/alerts';
import { formatNumber } from '../../calcs/telemetry';
import { severityColor } from '../severityColor';


/**
 * Violations by severity and the latency figures of the visible range (story 4.2,
 * docs/architecture.md), and, with the alerts query, the alert policy's episodes
 * (docs/alerting.md): what pages, beside the rule counts that do not.
 */
export function SummaryCard({ summary, alerts }: { summary: Summary; alerts: AlertCounts | null }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  return (
    <section className={styles.card} aria-label="Summary" data-testid="spc-summary">
      <div className={styles.counts}>
        {SEVERITIES.map((s) => (
          <div key={s} className={styles.count} data-severity={s}>
            <span className={styles.big} style={{ color: severityColor(theme, s) }}>
              {summary.violations[s]}
            </span>
            <span className={styles.label}>{s}</span>
          </div>
        ))}
      </div>
      {alerts && (
        <dl className={styles.stats} aria-label="Alerts" data-testid="spc-summary-alerts">
          {(['critical', 'warning'] as const).map((s) => (
            <React.Fragment key={s}>
              <dt style={{ color: severityColor(theme, s) }}>{s === 'critical' ? 'Critical alerts' : 'Warning alerts'}</dt>
              <dd data-severity={s}>
                {alerts.open[s]} open · {alerts.raised[s]} raised
              </dd>
            </React.Fragment>
          ))}
        </dl>
      )}
      <dl className={styles.stats}>
        <dt>Mean latency</dt>
        <dd>{formatNumber(summary.meanLatencyMs, 1)} ms</dd>
        <dt>p95 latency</dt>
        <dd>{formatNumber(summary.p95LatencyMs, 1)} ms</dd>
        <dt>Mean tokens/s</dt>
        <dd>{formatNumber(summary.meanTokensPerSecond, 1)}</dd>
        <dt>Probes (failed)</dt>
        <dd>
          {summary.samples} ({summary.failed})
        </dd>
      </dl>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    padding: theme.spacing(1),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  counts: css({ display: 'flex', justifyContent: 'space-between', marginBottom: theme.spacing(1) }),
  count: css({ display: 'flex', flexDirection: 'column', alignItems: 'center', flex: 1 }),
  big: css({ fontSize: theme.typography.h3.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  label: css({ color: theme.colors.text.secondary, textTransform: 'capitalize' }),
  stats: css({
    display: 'grid',
    gridTemplateColumns: '1fr max-content',
    gap: theme.spacing(0.25, 1),
    margin: 0,
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0, textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  }),
});
