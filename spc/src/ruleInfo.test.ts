import { describe, expect, it } from 'vitest';
import { RULES, RULE_IDS, isRuleId, ruleInfo } from './ruleInfo.js';
import { RULE_BIT, maskToRules } from './rules/ruleMask.js';

describe('rule metadata', () => {
  it('lists every rule in order R1..R8, WE1..WE4, EWMA, CUSUM', () => {
    expect(RULE_IDS).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'WE1', 'WE2', 'WE3', 'WE4', 'EWMA', 'CUSUM']);
    for (const rule of RULES) {
      expect(rule.name.length).toBeGreaterThan(0);
      expect(rule.description).toMatch(/\.$/);
    }
  });

  it('carries the default severities', () => {
    const bySeverity = (severity: string) => RULES.filter((r) => r.severity === severity).map((r) => r.id);
    expect(bySeverity('critical')).toEqual(['R1', 'WE1']);
    expect(bySeverity('warning')).toEqual(['R2', 'R3', 'R5', 'R6', 'WE2', 'WE3', 'WE4', 'EWMA', 'CUSUM']);
    expect(bySeverity('info')).toEqual(['R4', 'R7', 'R8']);
  });

  it('looks rules up and refuses unknown ids', () => {
    expect(ruleInfo('R7').name).toBe('Hugging the centre');
    expect(isRuleId('WE3')).toBe(true);
    expect(isRuleId('R9')).toBe(false);
    expect(() => ruleInfo('R9' as never)).toThrow(/unknown rule R9/);
    expect(Object.isFrozen(RULES)).toBe(true);
  });

  it('maps rule bits back to ids in RULES order', () => {
    expect(maskToRules(RULE_BIT.CUSUM | RULE_BIT.R1 | RULE_BIT.WE2)).toEqual(['R1', 'WE2', 'CUSUM']);
    expect(maskToRules(0)).toEqual([]);
    expect(RULE_IDS.map((id) => RULE_BIT[id])).toEqual(RULE_IDS.map((_, i) => 1 << i));
  });
});
