// @llmscope/spc: individuals-chart limits, Nelson / Western Electric rules, EWMA and CUSUM.
// Pure functions and small state machines; no I/O, no runtime dependencies.
export type {
  ControlLimits,
  CusumConfig,
  DisplayLimits,
  EwmaConfig,
  RuleConfig,
  RuleHit,
  RuleId,
  RuleInfo,
  RunLengthRule,
  Severity,
  SigmaMethod,
  Transform,
} from './types.js';
export { RULES, RULE_IDS, isRuleId, ruleInfo } from './ruleInfo.js';
export { c4, D2_MOVING_RANGE, MEDIAN_MOVING_RANGE_DIVISOR, DEFAULT_RUN_LENGTHS } from './constants.js';
export { estimateLimits, knownLimits, toDisplayLimits, windowLimits, type EstimateOptions } from './limits.js';
export {
  deviationFromStoredLimits,
  deviationInSigma,
  storedScale,
  zonesFromStoredLimits,
  type StoredScale,
  type StoredZones,
} from './storedLimits.js';
export { isSigmaMethod } from './sigma.js';
export { isTransform } from './transform.js';
export { evaluateRules } from './rules/evaluateRules.js';
export { RULE_BIT, maskToRules } from './rules/ruleMask.js';
export { RuleEvaluator, type EvaluatorState } from './evaluator.js';
export { SeriesMonitor, type MonitorResult, type SeriesMonitorOptions, type SeriesMonitorState } from './monitor.js';
export {
  AlertMonitor,
  DEFAULT_ALERT_POLICY,
  detectAlerts,
  resolveAlertPolicy,
  EFFECT_WINDOW,
  MIN_EVIDENCE,
  SIGMA_FLOOR,
  type AlertDetectorId,
  type AlertEpisode,
  type AlertModel,
  type AlertMonitorState,
  type AlertPolicy,
  type AlertStep,
  type ProbeOutcome,
  type ProbeStatus,
  type ResolvedAlertPolicy,
} from './alerting/alertMonitor.js';
export {
  designDetector,
  designDetectorInSteps,
  designKnownLimits,
  isDesignCached,
  robustBaseline,
  type DesignRequest,
  type DetectorDesign,
} from './alerting/alertDesign.js';
export { cusumArl, twoSidedCusumArl, solveDecisionInterval, type CusumInput } from './alerting/cusumArl.js';
export { budgetArls, targetArl, DEFAULT_ALERT_BUDGET, SECONDS_PER_DAY, SECONDS_PER_WEEK, type AlertBudget } from './alerting/budget.js';
export { failureRunToAlert } from './alerting/availability.js';
