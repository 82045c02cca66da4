import type { GrafanaTheme2 } from '@grafana/data';
import type { Severity } from '@llmscope/spc';

/** Severity colours come from the theme so markers read right in light and dark mode. */
export function severityColor(theme: GrafanaTheme2, severity: Severity): string {
  switch (severity) {
    case 'critical':
      return theme.colors.error.main;
    case 'warning':
      return theme.colors.warning.main;
    case 'info':
      return theme.colors.info.main;
  }
}
