import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Collapse, useStyles2 } from '@grafana/ui';
import { RULES } from '@llmscope/spc';
import { SeverityBadge } from '../SeverityBadge';

/** What each rule means, from the same definitions the collector evaluates (story 3.1, docs/architecture.md). */
export function RulesLegend() {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  return (
    <Collapse label="Rules legend" isOpen={open} onToggle={() => setOpen(!open)}>
      <table className={styles.table} data-testid="spc-rules-legend">
        <tbody>
          {RULES.map((rule) => (
            <tr key={rule.id}>
              <th scope="row">{rule.id}</th>
              <td>{rule.name}</td>
              <td>{rule.description}</td>
              <td>
                <SeverityBadge severity={rule.severity} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Collapse>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': { padding: theme.spacing(0.25, 1), verticalAlign: 'top', textAlign: 'left' },
    td: { color: theme.colors.text.secondary },
  }),
});
