import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { formatMs, formatNumber, formatPercent, tokensPerSecond } from '../../calcs/telemetry';
import type { Sample } from '../../types';

/** Ollama's own timings for the flagged request (story 1.1, docs/architecture.md). */
export function TelemetrySection({ sample }: { sample: Sample }) {
  const styles = useStyles2(getStyles);
  const rows: Array<[label: string, value: string]> = [
    ['Latency (client)', formatMs(sample.latencyMs)],
    ['Time to first token', formatMs(sample.ttftMs)],
    ['Total duration', formatMs(sample.totalDurationMs)],
    ['Load duration', formatMs(sample.loadDurationMs)],
    ['Prompt eval duration', formatMs(sample.promptEvalDurationMs)],
    ['Eval duration', formatMs(sample.evalDurationMs)],
    ['Prompt tokens', formatNumber(sample.promptEvalCount)],
    ['Response tokens', formatNumber(sample.evalCount)],
    ['Tokens/s', formatNumber(tokensPerSecond(sample.evalCount, sample.evalDurationMs), 2)],
    ['CPU', formatPercent(sample.cpuPercent)],
    ['GPU', formatPercent(sample.gpuPercent)],
    ['Memory', formatPercent(sample.memoryPercent)],
    ['Status', sample.status],
    ['Model', sample.model ?? '—'],
    ['Cold start', sample.coldStart === null ? '—' : sample.coldStart ? 'yes (model loaded)' : 'no'],
  ];
  if (sample.error) {
    rows.push(['Error', sample.error]);
  }
  return (
    <section aria-label="Telemetry" className={styles.section}>
      <h4>Telemetry</h4>
      <dl className={styles.grid} data-testid="spc-telemetry">
        {rows.map(([label, value]) => (
          <React.Fragment key={label}>
            <dt className={styles.label}>{label}</dt>
            <dd className={styles.value}>{value}</dd>
          </React.Fragment>
        ))}
      </dl>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ marginBottom: theme.spacing(2) }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr max-content 1fr',
    gap: `${theme.spacing(0.5)} ${theme.spacing(2)}`,
    margin: 0,
  }),
  label: css({ color: theme.colors.text.secondary }),
  value: css({ margin: 0, fontFamily: theme.typography.fontFamilyMonospace }),
});
