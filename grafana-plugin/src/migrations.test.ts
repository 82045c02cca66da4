import type { PanelModel } from '@grafana/data';
import { DEFAULT_OPTIONS } from './defaultOptions';
import { migrateOptions } from './migrations';
import type { SpcOptions } from './types';

const panel = (options: unknown): PanelModel<Partial<SpcOptions>> =>
  ({ id: 1, type: 'llmscope-spc-panel', options, fieldConfig: { defaults: {}, overrides: [] }, pluginVersion: '0.1.0' }) as PanelModel<Partial<SpcOptions>>;

describe('migrateOptions', () => {
  it('keeps every option a 0.1 dashboard saved', () => {
    const saved: SpcOptions = {
      ...DEFAULT_OPTIONS,
      sampleFields: { ...DEFAULT_OPTIONS.sampleFields, latency: 'p50_ms' },
      violationSource: 'annotations',
      latencyAxis: 'log',
      showZones: false,
      visibleRules: ['R1', 'R5'],
    };
    expect(migrateOptions(panel(saved))).toEqual(saved);
  });

  it('gives a column added since the save, or a cleared picker, its default', () => {
    const { gpuMemory: _dropped, ...older } = DEFAULT_OPTIONS.sampleFields;
    const migrated = migrateOptions(panel({ sampleFields: { ...older, status: '' } }));
    expect(migrated.sampleFields.gpuMemory).toBe(DEFAULT_OPTIONS.sampleFields.gpuMemory);
    expect(migrated.sampleFields.status).toBe('status');
  });

  it('drops unknown rule ids and enum values instead of breaking the panel', () => {
    const migrated = migrateOptions(panel({ visibleRules: ['R1', 'R99'], latencyAxis: 'sqrt', violationSource: 7, showSummary: 'yes' }));
    expect(migrated.visibleRules).toEqual(['R1']);
    expect(migrated.latencyAxis).toBe('auto');
    expect(migrated.violationSource).toBe('auto');
    expect(migrated.showSummary).toBe(DEFAULT_OPTIONS.showSummary);
  });

  it('fills every default for a panel saved with no options', () => {
    expect(migrateOptions(panel(undefined))).toEqual(DEFAULT_OPTIONS);
  });
});
