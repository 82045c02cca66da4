import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Checkbox, useStyles2 } from '@grafana/ui';
import { ruleInfo, type RuleId } from '@llmscope/spc';

interface Props {
  rules: readonly RuleId[];
  visible: ReadonlySet<RuleId>;
  counts: ReadonlyMap<RuleId, number>;
  onChange: (visible: Set<RuleId>) => void;
}

/** One checkbox per rule; unticking a rule hides its markers and list entries (story 3.2, docs/architecture.md). */
export function RuleFilter({ rules, visible, counts, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const toggle = (rule: RuleId) => {
    const next = new Set(visible);
    if (next.has(rule)) {
      next.delete(rule);
    } else {
      next.add(rule);
    }
    onChange(next);
  };
  return (
    <fieldset className={styles.row} aria-label="Filter by rule">
      {rules.map((rule) => (
        <span key={rule} title={ruleInfo(rule).name}>
          <Checkbox
            value={visible.has(rule)}
            onChange={() => toggle(rule)}
            label={`${rule} (${counts.get(rule) ?? 0})`}
            aria-label={`Show ${rule}`}
          />
        </span>
      ))}
    </fieldset>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    border: 'none',
    margin: 0,
    padding: 0,
    alignItems: 'center',
  }),
});
