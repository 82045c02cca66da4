import { PAGING, type AlertEpisode } from '../data/alerts';
import type { Violation } from '../types';

/** Something a toast may announce, keyed so the same thing is announced once. */
export interface NewsItem {
  key: string;
  critical: boolean;
  label: string;
}

export interface Toast {
  level: 'error' | 'warning';
  title: string;
  text: string;
}

/**
 * What may raise a toast (docs/alerting.md): the paging alert episodes when the panel has the
 * alerts query; without it (an older dashboard), only critical rule violations, so a panel
 * that cannot see the policy still stays quiet on the rules' routine warnings.
 */
export function newsItems(alerts: readonly AlertEpisode[] | null, violations: readonly Violation[]): NewsItem[] {
  if (alerts !== null) {
    return alerts
      .filter((a) => PAGING.includes(a.severity))
      .map((a) => ({ key: a.key, critical: a.severity === 'critical', label: alertLabel(a) }));
  }
  return violations
    .filter((v) => v.severity === 'critical')
    .map((v) => ({ key: v.key, critical: true, label: v.rule }));
}

function alertLabel(a: AlertEpisode): string {
  const effect =
    a.effect === null || a.detector !== 'CUSUM' ? '' : ` ${a.effect >= 0 ? '+' : ''}${Math.round(a.effect * 100)} %`;
  return `${a.severity} ${a.detector}${effect}`;
}

/** The toast for the items not seen before, or null when nothing is new. */
export function toastFor(items: readonly NewsItem[], seen: ReadonlySet<string>, fromAlerts: boolean): Toast | null {
  const fresh = items.filter((i) => !seen.has(i.key));
  if (fresh.length === 0) {
    return null;
  }
  const what = fromAlerts ? 'alert' : 'critical SPC violation';
  const labels = [...new Set(fresh.map((i) => i.label))].join(', ');
  return {
    level: fresh.some((i) => i.critical) ? 'error' : 'warning',
    title: `LLMscope: ${fresh.length} new ${what}${fresh.length === 1 ? '' : 's'}`,
    text: fromAlerts ? labels : `Rules: ${labels}`,
  };
}
