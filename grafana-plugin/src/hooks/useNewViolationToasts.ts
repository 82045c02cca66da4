import { useEffect, useRef } from 'react';
import { AppEvents } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';
import type { Violation } from '../types';

/**
 * Raises a Grafana toast when a refresh brings violations not seen before (story 4.1, docs/architecture.md).
 * The first data the panel sees is history, not news, so it only seeds the memory.
 */
export function useNewViolationToasts(violations: readonly Violation[], enabled: boolean): void {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const previous = seen.current;
    seen.current = new Set(violations.map((v) => v.key));
    if (!enabled || previous === null) {
      return;
    }
    const fresh = violations.filter((v) => !previous.has(v.key));
    if (fresh.length === 0) {
      return;
    }
    const critical = fresh.some((v) => v.severity === 'critical');
    const rules = [...new Set(fresh.map((v) => v.rule))].join(', ');
    getAppEvents().publish({
      type: (critical ? AppEvents.alertError : AppEvents.alertWarning).name,
      payload: [`LLMscope: ${fresh.length} new SPC violation${fresh.length === 1 ? '' : 's'}`, `Rules: ${rules}`],
    });
  }, [violations, enabled]);
}
