import type { RuleId } from '@llmscope/spc';
import type { FlaggedPoint, Violation } from '../types';
import { mostSevere } from './ruleIds';

/** Violations whose rule the user left ticked in the rule filter. */
export function filterByRule(violations: readonly Violation[], visible: ReadonlySet<RuleId>): Violation[] {
  return violations.filter((v) => visible.has(v.rule));
}

/** One marker per sample, carrying every rule that point broke. */
export function groupByPoint(violations: readonly Violation[]): FlaggedPoint[] {
  const bySample = new Map<number, Violation[]>();
  for (const v of violations) {
    if (v.sampleIndex === null) {
      continue;
    }
    const list = bySample.get(v.sampleIndex) ?? [];
    list.push(v);
    bySample.set(v.sampleIndex, list);
  }
  return [...bySample.entries()]
    .sort(([a], [b]) => a - b)
    .map(([sampleIndex, list]) => ({
      sampleIndex,
      violations: list,
      severity: mostSevere(list.map((v) => v.severity)),
    }));
}
