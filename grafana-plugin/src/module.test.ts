import { PanelOptionsEditorBuilder, standardEditorsRegistry } from '@grafana/data';
import { DEFAULT_OPTIONS } from './defaultOptions';
import { plugin } from './module';
import type { SpcOptions } from './types';

// Grafana registers its standard option editors at boot; the option builder looks them up.
beforeAll(() => {
  standardEditorsRegistry.setInit(() =>
    ['text', 'radio', 'boolean', 'multi-select', 'number', 'select', 'field-name'].map((id) => ({ id, name: id, editor: () => null }))
  );
});

describe('plugin', () => {
  it('asks Grafana for annotations, so violations can come from them', () => {
    expect(plugin.dataSupport.annotations).toBe(true);
  });

  it('declares every option with the defaults the panel is built for', () => {
    expect(plugin.defaults).toEqual(DEFAULT_OPTIONS);
  });

  it('picks every column with the field-name picker, defaulting to the collector column names', () => {
    const builder = new PanelOptionsEditorBuilder<SpcOptions>();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    const pickers = builder.getItems().filter((item) => item.path.startsWith('sampleFields.') || item.path.startsWith('violationFields.'));
    expect(pickers.length).toBe(Object.keys(DEFAULT_OPTIONS.sampleFields).length + Object.keys(DEFAULT_OPTIONS.violationFields).length);
    for (const item of pickers) {
      expect(item.editor).toBe(standardEditorsRegistry.get('field-name').editor);
    }
    expect(pickers.find((item) => item.path === 'sampleFields.coldStart')?.defaultValue).toBe('cold_start');
  });

  it('migrates saved options through its migration handler', () => {
    expect(plugin.onPanelMigration).toBeDefined();
  });

  it('groups its options by category', () => {
    const builder = new PanelOptionsEditorBuilder<SpcOptions>();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    const categories = new Set(builder.getItems().map((item) => item.category?.[0]));
    expect(categories).toEqual(new Set(['Data fields', 'Display', 'Rules', 'Notifications']));
  });
});
