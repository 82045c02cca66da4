import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

/** Shown instead of the chart when there is nothing sound to draw; says what to change. */
export function PanelMessage({ message }: { message: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.box} role="alert" data-testid="spc-panel-message">
      <Icon name="exclamation-triangle" size="lg" />
      <p>{message}</p>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    height: '100%',
    gap: theme.spacing(1),
    color: theme.colors.text.secondary,
    textAlign: 'center',
    padding: theme.spacing(2),
  }),
});
