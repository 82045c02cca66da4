import type { RuleId } from '@llmscope/spc';
import { FILTER_RULES } from './components/RuleFilter/filterRules';
import { DEFAULT_SAMPLE_FIELDS, DEFAULT_VIOLATION_FIELDS } from './data/fieldDefaults';
import type { SpcOptions } from './types';

/** Every rule id the panel can filter on; the Western Electric preset adds WE1–WE4. */
export const ALL_RULES: readonly RuleId[] = [...FILTER_RULES, 'WE1', 'WE2', 'WE3', 'WE4'];

/** The panel's option defaults; module.ts declares each option with these values. */
export const DEFAULT_OPTIONS: SpcOptions = {
  sampleFields: DEFAULT_SAMPLE_FIELDS,
  violationFields: DEFAULT_VIOLATION_FIELDS,
  violationSource: 'auto',
  showZones: true,
  latencyAxis: 'auto',
  showSummary: true,
  showViolationList: true,
  showRulesLegend: true,
  visibleRules: [...ALL_RULES],
  notifyNewViolations: false,
};
