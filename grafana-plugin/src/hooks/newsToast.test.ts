import type { AlertEpisode } from '../data/alerts';
import type { Violation } from '../types';
import { newsItems, toastFor } from './newsToast';

const alert = (over: Partial<AlertEpisode>): AlertEpisode => ({
  key: 'alert1-critical',
  start: 0,
  end: null,
  severity: 'critical',
  detector: 'CUSUM',
  effect: 0.42,
  ...over,
});
const violation = (key: string, rule: Violation['rule'], severity: Violation['severity']) =>
  ({ key, rule, severity }) as Violation;

describe('newsItems', () => {
  it('follows the paging alert episodes when the alerts query is there, whatever the rules say', () => {
    const alerts = [
      alert({}),
      alert({ key: 'alert2-warning', severity: 'warning', detector: 'availability', effect: 1 }),
      alert({ key: 'alert3-info', severity: 'info' }),
    ];
    expect(newsItems(alerts, [violation('v1-R1', 'R1', 'critical')])).toEqual([
      { key: 'alert1-critical', critical: true, label: 'critical CUSUM +42 %' },
      { key: 'alert2-warning', critical: false, label: 'warning availability' },
    ]);
    // The query is there and nothing pages: no news, even with a critical rule violation.
    expect(newsItems([], [violation('v1-R1', 'R1', 'critical')])).toEqual([]);
  });

  it('falls back to critical violations only when there is no alerts query', () => {
    const violations = [
      violation('v1-R1', 'R1', 'critical'),
      violation('v2-R5', 'R5', 'warning'),
      violation('v3-R7', 'R7', 'info'),
    ];
    expect(newsItems(null, violations)).toEqual([{ key: 'v1-R1', critical: true, label: 'R1' }]);
  });
});

describe('toastFor', () => {
  it('announces only items not seen before, as an error when one is critical', () => {
    const items = newsItems([alert({}), alert({ key: 'alert2-warning', severity: 'warning', effect: 0.21 })], []);
    expect(toastFor(items, new Set(['alert1-critical']), true)).toEqual({
      level: 'warning',
      title: 'LLMscope: 1 new alert',
      text: 'warning CUSUM +21 %',
    });
    expect(toastFor(items, new Set(), true)).toEqual({
      level: 'error',
      title: 'LLMscope: 2 new alerts',
      text: 'critical CUSUM +42 %, warning CUSUM +21 %',
    });
    expect(toastFor(items, new Set(['alert1-critical', 'alert2-warning']), true)).toBeNull();
  });

  it('announces a warning that escalated to critical again: its key carries the severity', () => {
    const before = newsItems([alert({ key: 'alert5-warning', severity: 'warning' })], []);
    const after = newsItems([alert({ key: 'alert5-critical' })], []);
    expect(toastFor(after, new Set(before.map((i) => i.key)), true)?.level).toBe('error');
  });

  it('words the fallback as critical SPC violations with their rules', () => {
    expect(toastFor(newsItems(null, [violation('v1-R1', 'R1', 'critical')]), new Set(), false)).toEqual({
      level: 'error',
      title: 'LLMscope: 1 new critical SPC violation',
      text: 'Rules: R1',
    });
  });
});
