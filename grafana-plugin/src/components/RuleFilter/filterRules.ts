import type { RuleId } from '@llmscope/spc';
import type { Violation } from '../../types';

/** The rules the filter always offers (story 3.2, docs/architecture.md); Western Electric ids join when present. */
export const FILTER_RULES: readonly RuleId[] = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'EWMA', 'CUSUM'];

export function filterableRules(violations: readonly Violation[]): RuleId[] {
  const extra = [...new Set(violations.map((v) => v.rule))].filter((r) => !FILTER_RULES.includes(r)).sort();
  return [...FILTER_RULES, ...extra];
}

export function countByRule(violations: readonly Violation[]): Map<RuleId, number> {
  const counts = new Map<RuleId, number>();
  for (const v of violations) {
    counts.set(v.rule, (counts.get(v.rule) ?? 0) + 1);
  }
  return counts;
}
