import React, { useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Button, ConfirmModal, Input, Stack, useStyles2 } from '@grafana/ui';
import type { SeriesKey, ViolationRow } from './api';

interface Props {
  series: SeriesKey;
  violations: readonly ViolationRow[];
  /** Present when the user entered the API token: changes are allowed. */
  canChange: boolean;
  onAcknowledge: (id: number, note: string) => Promise<void>;
  onResetBaseline: () => Promise<void>;
  onClear: () => Promise<void>;
}

/** How many of the newest episodes the table lists; the chart shows all of them. */
const LISTED = 50;

/**
 * The operator's side of the viewer: acknowledge a violation with a note, re-baseline the
 * series, clear its violations ("Clear violations", confirmed first). Without
 * the API token the list is read-only and the buttons say why they are off.
 */
export function ViolationActions({ series, violations, canChange, onAcknowledge, onResetBaseline, onClear }: Props) {
  const styles = useStyles2(getStyles);
  const [confirm, setConfirm] = useState<'clear' | 'reset' | null>(null);
  const [notes, setNotes] = useState<Record<number, string>>({});
  const newest = [...violations].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp)).slice(0, LISTED);
  const locked = canChange ? undefined : 'Enter the API token to make changes';
  const label = `${series.target} · ${series.model} · ${series.probe}`;

  return (
    <section className={styles.section} data-testid="viewer-violations">
      <Stack justifyContent="space-between" alignItems="center">
        <h3 className={styles.heading}>
          Violations in range: {violations.length}
          {violations.length > LISTED ? ` (newest ${LISTED} listed)` : ''}
        </h3>
        <Stack gap={1}>
          <Button icon="history" variant="secondary" disabled={!canChange} tooltip={locked} onClick={() => setConfirm('reset')} data-testid="viewer-rebaseline">
            Re-baseline series
          </Button>
          <Button icon="trash-alt" variant="destructive" disabled={!canChange || violations.length === 0} tooltip={locked} onClick={() => setConfirm('clear')} data-testid="viewer-clear">
            Clear violations
          </Button>
        </Stack>
      </Stack>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Time</th>
            <th>Rule</th>
            <th>Severity</th>
            <th>Latency</th>
            <th>Deviation</th>
            <th>Points</th>
            <th>Acknowledged</th>
            <th>Note</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {newest.map((v) => (
            <tr key={v.id} data-testid="viewer-violation-row" data-violation-id={v.id}>
              <td>{dateTimeFormat(v.timestamp, { format: 'YYYY-MM-DD HH:mm:ss' })}</td>
              <td title={v.rule_name ?? undefined}>{v.rule}</td>
              <td>{v.severity}</td>
              <td>{v.latency_ms.toFixed(1)} ms</td>
              <td>{v.deviation_sigma.toFixed(2)} σ</td>
              <td>{v.points}</td>
              <td>{v.acknowledged_at ? dateTimeFormat(v.acknowledged_at, { format: 'YYYY-MM-DD HH:mm:ss' }) : '—'}</td>
              <td className={styles.note}>
                {canChange && !v.acknowledged_at ? (
                  <Input
                    aria-label={`Note for violation ${v.id}`}
                    placeholder="Note (optional)"
                    value={notes[v.id] ?? ''}
                    onChange={(e) => setNotes({ ...notes, [v.id]: e.currentTarget.value })}
                  />
                ) : (
                  v.note ?? ''
                )}
              </td>
              <td>
                {!v.acknowledged_at && (
                  <Button size="sm" variant="secondary" disabled={!canChange} tooltip={locked} onClick={() => onAcknowledge(v.id, notes[v.id] ?? '')}>
                    Acknowledge
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmModal
        isOpen={confirm === 'clear'}
        title="Clear violations"
        body={`Delete every stored violation of ${label}? Samples and limits stay; this cannot be undone.`}
        confirmText="Clear violations"
        onConfirm={async () => {
          setConfirm(null);
          await onClear();
        }}
        onDismiss={() => setConfirm(null)}
      />
      <ConfirmModal
        isOpen={confirm === 'reset'}
        title="Re-baseline series"
        body={`Start a new Phase I baseline for ${label}? The limits are recomputed from the next probes.`}
        confirmText="Re-baseline"
        confirmVariant="primary"
        onConfirm={async () => {
          setConfirm(null);
          await onResetBaseline();
        }}
        onDismiss={() => setConfirm(null)}
      />
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ marginTop: theme.spacing(2) }),
  heading: css({ margin: 0, fontSize: theme.typography.h5.fontSize }),
  note: css({ minWidth: 200 }),
  table: css({
    width: '100%',
    marginTop: theme.spacing(1),
    borderCollapse: 'collapse',
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}`, textAlign: 'left' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
