// Boots the built-in viewer: Grafana's shared modules for the AMD loader, the plugin's
// dist/module.js loaded as Grafana loads it, then the page around the panel.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { type PanelPlugin } from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';
import { SHARED_MODULES } from 'llmscope-viewer-shared-modules';
import { defineSharedModules, loadPluginModule } from '../sharedModules.js';
import { ViewerApp } from './ViewerApp';
import { loadFirstView } from './view';

/** Where the collector serves the plugin, the same path Grafana serves plugins from. */
const MODULE_URL = '/public/plugins/llmscope-spc-panel/module.js';

defineSharedModules(SHARED_MODULES);
const root = createRoot(document.getElementById('root')!);

// The first view's data loads beside the panel's module, so the page renders once, with it.
const first = loadFirstView();
loadPluginModule(MODULE_URL)
  .then(async (mod) => {
    const plugin = (mod as { plugin: PanelPlugin }).plugin;
    // No theme provider: Grafana's theme context defaults to the dark theme the viewer shows,
    // and building a second one costs tens of ms before the first paint (docs/viewer.md).
    root.render(
      <>
        <GlobalStyles />
        <ViewerApp plugin={plugin} first={await first} />
      </>
    );
  })
  .catch((error: Error) => {
    root.render(
      <pre role="alert">
        Cannot load the panel from {MODULE_URL}: {error.message}
      </pre>
    );
  });
