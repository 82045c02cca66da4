// Grafana's shared modules, offered to AMD like Grafana's SystemJS offers them to a plugin:
// the plugin's dist/module.js imports these by name and gets the page's copies, not its own.
// Used by the built-in viewer and by the browser test's host page (e2e/host/entry.js).
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as i18next from 'i18next';
import * as lodash from 'lodash';
// Grafana still offers moment to plugins (the panel does not use it); the page must too.
// eslint-disable-next-line no-restricted-imports
import * as moment from 'moment';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';

const SHARED = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  i18next,
  lodash,
  moment,
  react: React,
  'react-dom': ReactDOM,
  'react-dom/client': ReactDOMClient,
  'react/jsx-runtime': jsxRuntime,
  rxjs,
};

/**
 * Defines the shared modules for the page's AMD loader (require.js, loaded before this
 * script) and sets up what Grafana sets up at boot before it loads a panel plugin.
 */
export function defineSharedModules() {
  for (const [name, mod] of Object.entries(SHARED)) {
    window.define(name, [], () => mod);
  }
  // A plugin's option builder (and so `plugin.defaults`) looks the standard editors up by
  // id; the pages never show the editors.
  grafanaData.standardEditorsRegistry.setInit(() =>
    ['text', 'radio', 'boolean', 'multi-select', 'number', 'select', 'field-name'].map((id) => ({ id, name: id, editor: () => null }))
  );
  grafanaRuntime.setAppEvents(new grafanaData.EventBusSrv());
}

/** Loads a plugin's module.js through the AMD loader, as Grafana loads it. */
export function loadPluginModule(moduleUrl) {
  return new Promise((resolve, reject) => window.require([moduleUrl], resolve, reject));
}
