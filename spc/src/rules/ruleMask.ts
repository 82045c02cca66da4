// Rules as bits, so the incremental evaluator reports a point's hits as one integer
// without allocating. Bit i is RULE_IDS[i] (R1 = bit 0 … CUSUM = bit 13).
import { RULE_IDS } from '../ruleInfo.js';
import type { RuleId } from '../types.js';

export const RULE_BIT = Object.freeze({
  R1: 1 << 0,
  R2: 1 << 1,
  R3: 1 << 2,
  R4: 1 << 3,
  R5: 1 << 4,
  R6: 1 << 5,
  R7: 1 << 6,
  R8: 1 << 7,
  WE1: 1 << 8,
  WE2: 1 << 9,
  WE3: 1 << 10,
  WE4: 1 << 11,
  EWMA: 1 << 12,
  CUSUM: 1 << 13,
}) satisfies Readonly<Record<RuleId, number>>;

/** The rule ids of a mask, in RULES order. */
export function maskToRules(mask: number): RuleId[] {
  const rules: RuleId[] = [];
  for (let bit = 0; mask >>> bit !== 0; bit++) {
    if ((mask >>> bit) & 1) rules.push(RULE_IDS[bit]!);
  }
  return rules;
}
