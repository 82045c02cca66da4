import React from 'react';
import { css } from '@emotion/css';
import type { Severity } from '@llmscope/spc';
import { useTheme2 } from '@grafana/ui';
import { severityColor } from './severityColor';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const theme = useTheme2();
  const color = severityColor(theme, severity);
  return (
    <span
      data-severity={severity}
      className={css({
        display: 'inline-block',
        padding: '0 6px',
        borderRadius: theme.shape.radius.pill,
        border: `1px solid ${color}`,
        color,
        fontSize: theme.typography.bodySmall.fontSize,
        textTransform: 'capitalize',
      })}
    >
      {severity}
    </span>
  );
}
