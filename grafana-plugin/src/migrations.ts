import type { PanelModel } from '@grafana/data';
import type { RuleId } from '@llmscope/spc';
import { ALL_RULES, DEFAULT_OPTIONS } from './defaultOptions';
import type { LatencyAxis, SpcOptions, ViolationSource } from './types';

const AXES: readonly LatencyAxis[] = ['auto', 'linear', 'log'];
const SOURCES: readonly ViolationSource[] = ['auto', 'query', 'annotations'];

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Saved column names over the defaults: a column added since the save gets its default. */
function fieldNames<T extends object>(saved: unknown, defaults: T): T {
  const out = { ...defaults };
  if (saved && typeof saved === 'object') {
    for (const key of Object.keys(defaults) as Array<keyof T>) {
      const value = (saved as Record<keyof T, unknown>)[key];
      // A cleared picker saves '' or nothing: the default column is what the user meant.
      if (typeof value === 'string' && value.trim() !== '') {
        out[key] = value as T[keyof T];
      }
    }
  }
  return out;
}

/**
 * Grafana calls this when a dashboard saved with another version of the panel opens
 * (setMigrationHandler). Options saved by 0.1 keep their values; a field added since gets
 * its default, a rule id this version does not know is dropped, and an enum value it does
 * not know falls back to the default instead of breaking the panel.
 */
export function migrateOptions(panel: PanelModel<Partial<SpcOptions>>): SpcOptions {
  const saved = (panel.options ?? {}) as Partial<Record<keyof SpcOptions, unknown>>;
  const bool = (key: 'showZones' | 'showSummary' | 'showViolationList' | 'showRulesLegend' | 'notifyNewViolations') =>
    typeof saved[key] === 'boolean' ? (saved[key] as boolean) : DEFAULT_OPTIONS[key];
  const rules = Array.isArray(saved.visibleRules)
    ? (saved.visibleRules as unknown[]).filter((r): r is RuleId => ALL_RULES.includes(r as RuleId))
    : DEFAULT_OPTIONS.visibleRules;
  return {
    sampleFields: fieldNames(saved.sampleFields, DEFAULT_OPTIONS.sampleFields),
    violationFields: fieldNames(saved.violationFields, DEFAULT_OPTIONS.violationFields),
    violationSource: pick(saved.violationSource, SOURCES, DEFAULT_OPTIONS.violationSource),
    latencyAxis: pick(saved.latencyAxis, AXES, DEFAULT_OPTIONS.latencyAxis),
    showZones: bool('showZones'),
    showSummary: bool('showSummary'),
    showViolationList: bool('showViolationList'),
    showRulesLegend: bool('showRulesLegend'),
    notifyNewViolations: bool('notifyNewViolations'),
    visibleRules: rules,
  };
}
