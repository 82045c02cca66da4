// The page Grafana would be: it provides the shared modules a plugin's AMD bundle imports
// (Grafana's SystemJS does the same with its exposed modules), loads the plugin's
// dist/module.js with an AMD loader and renders the exported panel with PanelProps.
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import { defineSharedModules } from '../../viewer/sharedModules.js';
import { ALL_SHARED_MODULES } from './sharedModules.js';

defineSharedModules(ALL_SHARED_MODULES);

const { createDataFrame, dateTime, EventBusSrv, FieldType, LoadingState, createTheme } = grafanaData;
const theme = createTheme({ colors: { mode: 'dark' } });
let root = null;

/** The page around the panel: Grafana's theme and global styles, as a dashboard has them before any panel gets data. */
function shell(children) {
  return React.createElement(
    grafanaUi.ThemeContext.Provider,
    { value: theme },
    React.createElement(grafanaUi.GlobalStyles, null),
    children
  );
}

/** Mounts the shell now (the benchmark does, so its timing starts where Grafana hands a panel its data). */
window.mountShell = function mountShell() {
  if (root === null) {
    root = ReactDOMClient.createRoot(document.getElementById('root'));
    ReactDOM.flushSync(() => root.render(shell(null)));
  }
};

function frame(refId, columns, rows) {
  return createDataFrame({
    refId,
    fields: columns.map(([name, type]) => ({
      name,
      type: FieldType[type],
      values: rows.map((r) => r[name] ?? null),
    })),
  });
}

/**
 * The data frames a data source hands the panel. The benchmark builds them before its clock
 * starts, as Grafana has built them before a panel renders.
 */
window.buildFrames = function buildFrames(data) {
  return [
    frame('samples', data.sampleColumns, data.samples),
    frame('violations', data.violationColumns, data.violations),
  ];
};

/** Loads the plugin like Grafana does and renders its panel; resolves when mounted. */
window.renderPanel = function renderPanel({ moduleUrl, data, width, height }) {
  return new Promise((resolve, reject) => {
    window.require(
      [moduleUrl],
      (pluginModule) => {
        try {
          const plugin = pluginModule.plugin;
          const series = data.series ?? window.buildFrames(data);
          const initial = { from: dateTime(data.from), to: dateTime(data.to) };
          window.__timeRangeChanges = [];
          // One bus for the page, as a dashboard has: the test hovers through it (shared crosshair).
          window.__eventBus = new EventBusSrv();
          window.__hoverEvents = [];
          window.__eventBus
            .getStream(grafanaData.DataHoverEvent)
            .subscribe((e) => window.__hoverEvents.push(e.payload));
          window.__publishHover = (time) =>
            window.__eventBus.publish(new grafanaData.DataHoverEvent({ point: { time }, dataId: 'another-panel' }));
          function Panel() {
            const [range, setRange] = React.useState(initial);
            const timeRange = { from: range.from, to: range.to, raw: { from: range.from, to: range.to } };
            const props = {
              id: 1,
              data: { state: LoadingState.Done, series, timeRange },
              timeRange,
              timeZone: 'utc',
              options: plugin.defaults,
              fieldConfig: { defaults: {}, overrides: [] },
              transparent: false,
              width,
              height,
              renderCounter: 0,
              title: 'LLMscope SPC',
              eventBus: window.__eventBus,
              onOptionsChange: () => undefined,
              onFieldConfigChange: () => undefined,
              replaceVariables: (s) => s,
              onChangeTimeRange: (r) => {
                window.__timeRangeChanges.push(r);
                setRange({ from: dateTime(r.from), to: dateTime(r.to) });
              },
            };
            return React.createElement(
              'div',
              {
                'data-testid': 'panel-frame',
                style: {
                  width: width + 18,
                  boxSizing: 'border-box',
                  background: theme.colors.background.primary,
                  border: `1px solid ${theme.colors.border.weak}`,
                  borderRadius: theme.shape.radius.default,
                  padding: 8,
                },
              },
              React.createElement(
                'div',
                { style: { color: theme.colors.text.primary, fontWeight: 500, marginBottom: 4 } },
                `LLMscope SPC — ${data.model}`
              ),
              React.createElement(plugin.panel, props)
            );
          }
          window.mountShell();
          root.render(shell(React.createElement(Panel)));
          resolve({ defaults: plugin.defaults });
        } catch (error) {
          reject(error);
        }
      },
      reject
    );
  });
};
