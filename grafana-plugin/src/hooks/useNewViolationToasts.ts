import { useEffect, useRef } from 'react';
import { AppEvents } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';
import type { AlertEpisode } from '../data/alerts';
import type { Violation } from '../types';
import { newsItems, toastFor } from './newsToast';

/**
 * Raises a Grafana toast when a refresh brings a new alert of the alert policy, or, without an
 * alerts query, a new critical violation (newsToast.ts, docs/alerting.md). The first data the
 * panel sees is history, not news, so it only seeds the memory.
 */
export function useNewViolationToasts(
  violations: readonly Violation[],
  alerts: readonly AlertEpisode[] | null,
  enabled: boolean
): void {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const items = newsItems(alerts, violations);
    const previous = seen.current;
    seen.current = new Set(items.map((i) => i.key));
    if (!enabled || previous === null) {
      return;
    }
    const toast = toastFor(items, previous, alerts !== null);
    if (toast) {
      getAppEvents().publish({
        type: (toast.level === 'error' ? AppEvents.alertError : AppEvents.alertWarning).name,
        payload: [toast.title, toast.text],
      });
    }
  }, [violations, alerts, enabled]);
}
