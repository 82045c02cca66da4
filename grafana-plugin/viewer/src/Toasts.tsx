import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { AppEvents, type GrafanaTheme2 } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';
import { Alert, useStyles2 } from '@grafana/ui';

interface Toast {
  key: number;
  severity: 'success' | 'warning' | 'error';
  title: string;
  text: string;
}

const SHOWN_MS = 8_000;
const EVENTS = [
  [AppEvents.alertSuccess, 'success'],
  [AppEvents.alertWarning, 'warning'],
  [AppEvents.alertError, 'error'],
] as const;

/**
 * What Grafana's notification list does for a panel's toasts (the panel publishes
 * alertWarning/alertError on its app events when new violations arrive).
 */
export function Toasts() {
  const styles = useStyles2(getStyles);
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    let next = 0;
    const subscriptions = EVENTS.map(([event, severity]) =>
      getAppEvents().subscribe({ type: event.name } as never, (e: { payload?: unknown }) => {
        const [title, text] = Array.isArray(e.payload) ? e.payload.map(String) : [String(e.payload), ''];
        const key = next++;
        setToasts((list) => [...list, { key, severity, title, text }]);
        setTimeout(() => setToasts((list) => list.filter((t) => t.key !== key)), SHOWN_MS);
      })
    );
    return () => subscriptions.forEach((s) => s.unsubscribe());
  }, []);
  return (
    <div className={styles.list} data-testid="viewer-toasts">
      {toasts.map((t) => (
        <Alert key={t.key} severity={t.severity} title={t.title} onRemove={() => setToasts((list) => list.filter((x) => x.key !== t.key))}>
          {t.text}
        </Alert>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ position: 'fixed', top: theme.spacing(2), right: theme.spacing(2), width: 380, zIndex: theme.zIndex.portal }),
});

/** Publishes a toast the way a panel does. */
export function toast(severity: Toast['severity'], title: string, text = ''): void {
  const event = EVENTS.find(([, s]) => s === severity)![0];
  getAppEvents().publish({ type: event.name, payload: [title, text] });
}
