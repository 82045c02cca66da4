// @llmscope/spc: individuals-chart limits, Nelson / Western Electric rules, EWMA and CUSUM.
// Pure functions and small state machines; no I/O, no runtime dependencies.
export type {
  ControlLimits, CusumConfig, DisplayLimits, EwmaConfig, RuleConfig, RuleHit, RuleId, RuleInfo,
  RunLengthRule, Severity, SigmaMethod, Transform,
} from './types.js';
export { RULES, RULE_IDS, isRuleId, ruleInfo } from './ruleInfo.js';
export { c4, D2_MOVING_RANGE, MEDIAN_MOVING_RANGE_DIVISOR, DEFAULT_RUN_LENGTHS } from './constants.js';
export { estimateLimits, knownLimits, toDisplayLimits, windowLimits, type EstimateOptions } from './limits.js';
export {
  deviationFromStoredLimits, deviationInSigma, storedScale, zonesFromStoredLimits, type StoredScale, type StoredZones,
} from './storedLimits.js';
export { isSigmaMethod } from './sigma.js';
export { isTransform } from './transform.js';
export { evaluateRules } from './rules/evaluateRules.js';
export { RULE_BIT, maskToRules } from './rules/ruleMask.js';
export { RuleEvaluator, type EvaluatorState } from './evaluator.js';
export { SeriesMonitor, type MonitorResult, type SeriesMonitorOptions, type SeriesMonitorState } from './monitor.js';
