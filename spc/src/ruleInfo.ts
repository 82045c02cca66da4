// Rule metadata: the one place the rules are named and explained, imported by the collector
// (violation severity, metrics labels) and the panel (legend, filter).
import type { RuleId, RuleInfo } from './types.js';

export const RULES: readonly RuleInfo[] = Object.freeze(
  [
    { id: 'R1', name: 'Beyond 3σ', description: 'One point beyond the 3σ control limits: a sudden large change.', severity: 'critical' },
    {
      id: 'R2',
      name: 'Run on one side',
      description: 'Nine points in a row on the same side of the centre line: the process level has shifted.',
      severity: 'warning',
    },
    {
      id: 'R3',
      name: 'Trend',
      description: 'Six points in a row steadily increasing or decreasing: a drift is under way.',
      severity: 'warning',
    },
    {
      id: 'R4',
      name: 'Alternation',
      description: 'Fourteen points in a row alternating up and down: two sources are being mixed or something over-adjusts.',
      severity: 'info',
    },
    {
      id: 'R5',
      name: '2 of 3 beyond 2σ',
      description: 'Two of three points in a row beyond 2σ on the same side: a moderate shift.',
      severity: 'warning',
    },
    {
      id: 'R6',
      name: '4 of 5 beyond 1σ',
      description: 'Four of five points in a row beyond 1σ on the same side: a small sustained shift.',
      severity: 'warning',
    },
    {
      id: 'R7',
      name: 'Hugging the centre',
      description:
        'Fifteen points in a row within 1σ of the centre: less variation than the limits assume (stratified data or stale limits).',
      severity: 'info',
    },
    {
      id: 'R8',
      name: 'Avoiding the centre',
      description: 'Eight points in a row beyond 1σ on both sides and none within: a mixture of two regimes.',
      severity: 'info',
    },
    {
      id: 'WE1',
      name: 'WE beyond 3σ',
      description: 'Western Electric rule 1: one point beyond the 3σ control limits.',
      severity: 'critical',
    },
    {
      id: 'WE2',
      name: 'WE 2 of 3 beyond 2σ',
      description: 'Western Electric rule 2: two of three points in a row beyond 2σ on the same side.',
      severity: 'warning',
    },
    {
      id: 'WE3',
      name: 'WE 4 of 5 beyond 1σ',
      description: 'Western Electric rule 3: four of five points in a row beyond 1σ on the same side.',
      severity: 'warning',
    },
    {
      id: 'WE4',
      name: 'WE run on one side',
      description: 'Western Electric rule 4: eight points in a row on the same side of the centre line.',
      severity: 'warning',
    },
    {
      id: 'EWMA',
      name: 'EWMA beyond limits',
      description: 'The exponentially weighted moving average left its limits: a small sustained shift of the mean.',
      severity: 'warning',
    },
    {
      id: 'CUSUM',
      name: 'CUSUM beyond h',
      description: 'A tabular cumulative sum exceeded its decision interval h: a small sustained shift of the mean.',
      severity: 'warning',
    },
  ].map((rule) => Object.freeze(rule as RuleInfo)),
);

export const RULE_IDS: readonly RuleId[] = Object.freeze(RULES.map((rule) => rule.id));

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

export function ruleInfo(id: RuleId): RuleInfo {
  const info = RULES.find((rule) => rule.id === id);
  if (!info) throw new RangeError(`unknown rule ${String(id)}; known rules: ${RULE_IDS.join(', ')}`);
  return info;
}
