// Runs the batch and the incremental evaluator on the same input and insists they agree,
// so every hand-made vector checks both implementations.
import { RuleEvaluator } from '../src/evaluator.js';
import { evaluateRules } from '../src/rules/evaluateRules.js';
import type { ControlLimits, RuleConfig, RuleHit, RuleId } from '../src/types.js';

export function incrementalHits(values: readonly number[], limits: ControlLimits, config?: RuleConfig): RuleHit[] {
  const evaluator = new RuleEvaluator(limits, config);
  return values.flatMap((value, index) => evaluator.push(value).map((rule) => ({ index, rule })));
}

/** 0-based indices flagged by `rule`, after checking batch and incremental agree on every hit. */
export function flagged(rule: RuleId, values: readonly number[], limits: ControlLimits, config?: RuleConfig): number[] {
  const batch = evaluateRules(values, limits, config);
  const incremental = incrementalHits(values, limits, config);
  if (JSON.stringify(batch) !== JSON.stringify(incremental)) {
    throw new Error(`batch and incremental disagree:\n${JSON.stringify(batch)}\n${JSON.stringify(incremental)}`);
  }
  return batch.filter((hit) => hit.rule === rule).map((hit) => hit.index);
}
