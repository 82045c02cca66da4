// Grafana's shared modules, offered to AMD like Grafana's SystemJS offers them to a plugin:
// the plugin's dist/module.js imports these by name and gets the page's copies, not its own.
// The pages say what they offer: the built-in viewer just the names the panel imports
// (viewer/offeredModules.mjs), the browser test's host page (e2e/host/entry.js) everything.
import { EventBusSrv, standardEditorsRegistry } from '@grafana/data';
import { setAppEvents } from '@grafana/runtime';

/**
 * Defines the given modules ({ name: module object }) for the page's AMD loader (require.js,
 * loaded before this script) and sets up what Grafana sets up at boot before it loads a
 * panel plugin.
 */
export function defineSharedModules(modules) {
  for (const [name, mod] of Object.entries(modules)) {
    window.define(name, [], () => mod);
  }
  // A plugin's option builder (and so `plugin.defaults`) looks the standard editors up by
  // id; the pages never show the editors.
  standardEditorsRegistry.setInit(() =>
    ['text', 'radio', 'boolean', 'multi-select', 'number', 'select', 'field-name'].map((id) => ({
      id,
      name: id,
      editor: () => null,
    }))
  );
  setAppEvents(new EventBusSrv());
}

/** Loads a plugin's module.js through the AMD loader, as Grafana loads it. */
export function loadPluginModule(moduleUrl) {
  return new Promise((resolve, reject) => window.require([moduleUrl], resolve, reject));
}
