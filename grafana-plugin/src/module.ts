import { PanelPlugin, type SelectableValue } from '@grafana/data';
import type { RuleId } from '@llmscope/spc';
import { SpcPanel } from './components/SpcPanel';
import { ALL_RULES, DEFAULT_OPTIONS } from './defaultOptions';
import { migrateOptions } from './migrations';
import type { SampleFieldNames, SpcOptions, ViolationFieldNames } from './types';

const SAMPLE_FIELD_LABELS: Record<keyof SampleFieldNames, string> = {
  time: 'Time',
  latency: 'Latency (ms)',
  status: 'Status',
  center: 'Centre line',
  ucl: 'Upper control limit',
  lcl: 'Lower control limit',
  sigma: 'Sigma',
  id: 'Sample id',
  model: 'Model',
  error: 'Error text',
  coldStart: 'Cold start flag',
  ttft: 'Time to first token (ms)',
  totalDuration: 'Total duration (ms)',
  loadDuration: 'Load duration (ms)',
  promptEvalCount: 'Prompt tokens',
  promptEvalDuration: 'Prompt eval duration (ms)',
  evalCount: 'Response tokens',
  evalDuration: 'Eval duration (ms)',
  tokensPerSecond: 'Tokens per second',
  cpu: 'CPU %',
  memory: 'Memory %',
  gpu: 'GPU %',
  gpuMemory: 'GPU memory %',
};

const VIOLATION_FIELD_LABELS: Record<keyof ViolationFieldNames, string> = {
  id: 'Violation id',
  time: 'Time',
  rule: 'Rule',
  severity: 'Severity',
  latency: 'Latency (ms)',
  deviation: 'Deviation (σ)',
  sampleId: 'Sample id',
  note: 'Note',
};

export const plugin = new PanelPlugin<SpcOptions>(SpcPanel)
  .setDataSupport({ annotations: true })
  .setMigrationHandler(migrateOptions)
  .setPanelOptions((builder) => {
    for (const key of Object.keys(DEFAULT_OPTIONS.sampleFields) as Array<keyof SampleFieldNames>) {
      builder.addFieldNamePicker({
        path: `sampleFields.${key}`,
        name: SAMPLE_FIELD_LABELS[key],
        description: `Column of the samples query (default ${DEFAULT_OPTIONS.sampleFields[key]})`,
        category: ['Data fields'],
        defaultValue: DEFAULT_OPTIONS.sampleFields[key],
        settings: { noFieldsMessage: 'The queries return no columns yet' },
      });
    }
    builder.addRadio({
      path: 'violationSource',
      name: 'Violations from',
      description: 'A query returning the violations table, or annotations whose tags/text name the rule',
      category: ['Data fields'],
      defaultValue: DEFAULT_OPTIONS.violationSource,
      settings: {
        options: [
          { value: 'auto', label: 'Auto' },
          { value: 'query', label: 'Query' },
          { value: 'annotations', label: 'Annotations' },
        ],
      },
    });
    for (const key of Object.keys(DEFAULT_OPTIONS.violationFields) as Array<keyof ViolationFieldNames>) {
      builder.addFieldNamePicker({
        path: `violationFields.${key}`,
        name: `Violation ${VIOLATION_FIELD_LABELS[key].toLowerCase()}`,
        description: `Column of the violations query (default ${DEFAULT_OPTIONS.violationFields[key]})`,
        settings: { noFieldsMessage: 'The queries return no columns yet' },
        category: ['Data fields'],
        defaultValue: DEFAULT_OPTIONS.violationFields[key],
        showIf: (o) => o.violationSource !== 'annotations',
      });
    }
    return builder
      .addRadio({
        path: 'latencyAxis',
        name: 'Latency axis',
        description: 'Auto is logarithmic when the collector charts ln(latency), so the zones come out even',
        category: ['Display'],
        defaultValue: DEFAULT_OPTIONS.latencyAxis,
        settings: {
          options: [
            { value: 'auto', label: 'Auto' },
            { value: 'linear', label: 'Linear' },
            { value: 'log', label: 'Log' },
          ],
        },
      })
      .addBooleanSwitch({ path: 'showZones', name: 'Shade ±1σ/±2σ zones', category: ['Display'], defaultValue: DEFAULT_OPTIONS.showZones })
      .addBooleanSwitch({ path: 'showSummary', name: 'Summary card', category: ['Display'], defaultValue: DEFAULT_OPTIONS.showSummary })
      .addBooleanSwitch({ path: 'showViolationList', name: 'Violation list', category: ['Display'], defaultValue: DEFAULT_OPTIONS.showViolationList })
      .addBooleanSwitch({ path: 'showRulesLegend', name: 'Rules legend', category: ['Display'], defaultValue: DEFAULT_OPTIONS.showRulesLegend })
      .addMultiSelect({
        path: 'visibleRules',
        name: 'Rules shown initially',
        description: 'Ticked in the rule filter when the dashboard opens',
        category: ['Rules'],
        defaultValue: DEFAULT_OPTIONS.visibleRules,
        settings: {
          // The multi-select's typings give each option the whole array's type; each holds one rule.
          options: ALL_RULES.map((id) => ({ value: id, label: id })) as unknown as Array<SelectableValue<RuleId[]>>,
        },
      })
      .addBooleanSwitch({
        path: 'notifyNewViolations',
        name: 'Toast on new violations',
        description: 'Show a Grafana notification when a refresh brings violations not seen before',
        category: ['Notifications'],
        defaultValue: DEFAULT_OPTIONS.notifyNewViolations,
      });
  });
