import React, { useState } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { Button, Field, Input, RadioButtonGroup, Select, Stack, useStyles2 } from '@grafana/ui';
import type * as api from './api';
import { RANGE_PRESETS, REFRESH_CHOICES, type ViewerRange } from './timeRanges';

interface Props {
  seriesList: readonly api.SeriesInfo[] | null;
  series: api.SeriesKey | null;
  onPick: (key: keyof api.SeriesKey, value: string) => void;
  range: ViewerRange;
  onRange: (ms: number) => void;
  refreshMs: number;
  onRefreshMs: (ms: number) => void;
  onRefresh: () => void;
  /** The API token in use ('' when none: read-only). */
  token: string;
  onToken: (token: string) => void;
}

const options = (values: readonly string[]) => [...new Set(values)].sort().map((v) => ({ value: v, label: v }));

/**
 * The viewer's header controls: the series pickers (target, then model, then probe; each
 * offers what exists under the ones before it), the time range, refresh and the API token.
 */
export function Controls({
  seriesList,
  series,
  onPick,
  range,
  onRange,
  refreshMs,
  onRefreshMs,
  onRefresh,
  token,
  onToken,
}: Props) {
  const styles = useStyles2(getStyles);
  const [tokenDraft, setTokenDraft] = useState('');
  const inRange = (key: keyof api.SeriesKey) => {
    const above = (['target', 'model', 'probe'] as const).slice(0, ['target', 'model', 'probe'].indexOf(key));
    return options(
      (seriesList ?? []).filter((s) => above.every((k) => !series || s[k] === series[k])).map((s) => s[key])
    );
  };
  const picker = (key: keyof api.SeriesKey, label: string, width: number) => (
    <Field label={label} className={styles.field}>
      <Select
        aria-label={label}
        width={width}
        options={inRange(key)}
        value={series?.[key]}
        onChange={(v) => v.value && onPick(key, v.value)}
      />
    </Field>
  );

  return (
    <Stack gap={1} alignItems="flex-end" wrap="wrap">
      {picker('target', 'Target', 22)}
      {picker('model', 'Model', 26)}
      {picker('probe', 'Probe', 18)}
      <Field label="Time range" className={styles.field}>
        <RadioButtonGroup
          options={RANGE_PRESETS.map((p) => ({ value: p.ms, label: p.label }))}
          value={range.kind === 'last' ? range.ms : undefined}
          onChange={onRange}
        />
      </Field>
      <Field label="Auto refresh" className={styles.field}>
        <RadioButtonGroup
          options={REFRESH_CHOICES.map((c) => ({ value: c.ms, label: c.label }))}
          value={refreshMs}
          onChange={onRefreshMs}
        />
      </Field>
      <Button icon="sync" variant="secondary" onClick={onRefresh} aria-label="Refresh" data-testid="viewer-refresh">
        Refresh
      </Button>
      <Field
        label={token ? 'API token (changes allowed)' : 'API token (read-only without it)'}
        className={styles.field}
      >
        <Stack gap={0.5}>
          <Input
            type="password"
            width={24}
            aria-label="API token"
            placeholder="LLMSCOPE_API_TOKEN"
            value={tokenDraft}
            onChange={(e) => setTokenDraft(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && onToken(tokenDraft.trim())}
          />
          <Button variant="secondary" onClick={() => onToken(tokenDraft.trim())} data-testid="viewer-token-apply">
            {token ? 'Update' : 'Unlock'}
          </Button>
        </Stack>
      </Field>
    </Stack>
  );
}

const getStyles = (_theme: GrafanaTheme2) => ({
  field: css({ marginBottom: 0 }),
});
