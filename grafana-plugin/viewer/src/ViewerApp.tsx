import React, { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import {
  type AbsoluteTimeRange,
  EventBusSrv,
  type GrafanaTheme2,
  type PanelPlugin,
  type PanelProps,
} from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import * as api from './api';
import { rangeToParam, type ViewerRange } from './timeRanges';
import { toast, Toasts } from './Toasts';
import { ControlsPlaceholder } from './ControlsPlaceholder';
import { useElementWidth } from './useElementWidth';
import { useIdle } from './useIdle';
import { fromAddress, type FirstView, type Loaded, loadRange, pickSeries } from './view';

// The header's controls and the violations table come after the chart's first paint, each in
// its own chunk (docs/viewer.md, "First paint").
const Controls = React.lazy(() => import('./Controls').then((m) => ({ default: m.Controls })));
const ViolationActions = React.lazy(() => import('./ViolationActions').then((m) => ({ default: m.ViolationActions })));

const PANEL_HEIGHT = 560;

/**
 * The built-in viewer: the panel from dist/module.js (the bundle Grafana loads) fed from
 * the collector's API, with a series picker, a time range, refresh and the changes an
 * operator makes when the API token is entered.
 */
export function ViewerApp({ plugin, first }: { plugin: PanelPlugin; first: FirstView }) {
  const styles = useStyles2(getStyles);
  const [seriesList, setSeriesList] = useState<api.SeriesInfo[] | null>(first.seriesList);
  const [series, setSeries] = useState<api.SeriesKey | null>(first.series);
  const [range, setRange] = useState<ViewerRange>(first.range);
  const [refreshMs, setRefreshMs] = useState(0);
  const [tick, setTick] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(first.loaded);
  const [error, setError] = useState<string | null>(first.error);
  // The first view's data came with the page (main.tsx); the effect below loads the later ones.
  const skipFirstLoad = useRef(first.series !== null);
  const [token, setToken] = useState('');
  const idle = useIdle();
  const [panelRef, panelWidth] = useElementWidth<HTMLDivElement>();
  const eventBus = useMemo(() => new EventBusSrv(), []);

  useEffect(() => {
    if (tick === 0) {
      return; // listed with the first view
    }
    api
      .listSeries()
      .then((list) => {
        setSeriesList(list);
        setSeries(pickSeries(list, fromAddress().series));
      })
      .catch((e: Error) => setError(`Cannot list the series: ${e.message}`));
  }, [tick]);

  useEffect(() => {
    if (!series) {
      return;
    }
    const q = new URLSearchParams({ ...series, range: rangeToParam(range) });
    window.history.replaceState(null, '', `?${q}`);
    if (skipFirstLoad.current) {
      skipFirstLoad.current = false;
      return;
    }
    let cancelled = false;
    loadRange(series, range)
      .then((next) => {
        if (!cancelled) {
          setLoaded(next);
          setError(null);
        }
      })
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [series, range, tick]);

  useEffect(() => {
    if (refreshMs <= 0) {
      return;
    }
    const timer = setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const change = useCallback(
    async (what: string, run: () => Promise<string>) => {
      try {
        toast('success', what, await run());
        refresh();
      } catch (e) {
        toast('error', `${what} failed`, (e as Error).message);
      }
    },
    [refresh]
  );

  const pick = (key: keyof api.SeriesKey, value: string) => {
    if (seriesList && series) {
      setSeries(pickSeries(seriesList, { ...series, [key]: value }));
    }
  };
  const controlsPlaceholder = <ControlsPlaceholder series={series} />;

  const panelOptions = useMemo(() => ({ ...plugin.defaults, notifyNewViolations: true }), [plugin]);
  const Panel = plugin.panel as React.ComponentType<PanelProps>;

  return (
    <div className={styles.page}>
      <Toasts />
      <header className={styles.header}>
        <h1 className={styles.title}>LLMscope</h1>
        {idle ? (
          <Suspense fallback={controlsPlaceholder}>
            <Controls
              seriesList={seriesList}
              series={series}
              onPick={pick}
              range={range}
              onRange={(ms) => setRange({ kind: 'last', ms })}
              refreshMs={refreshMs}
              onRefreshMs={setRefreshMs}
              onRefresh={refresh}
              token={token}
              onToken={setToken}
            />
          </Suspense>
        ) : (
          controlsPlaceholder
        )}
      </header>
      {error && (
        <Alert title="The collector's API answered with an error" severity="error">
          {error}
        </Alert>
      )}
      {seriesList?.length === 0 && (
        <Alert title="No series yet" severity="info">
          The collector has stored no probes yet. Leave it running (or run `npm run demo`) and press Refresh.
        </Alert>
      )}
      <div ref={panelRef} className={styles.panelBox} data-testid="viewer-panel">
        {loaded && series && panelWidth > 0 && (
          <>
            <div className={styles.panelTitle}>
              {series.target} · {series.model} · {series.probe}
              <span className={styles.muted}>
                {' '}
                — {loaded.totalPoints} probes{loaded.downsampled ? ' (thinned by the API)' : ''}
                {range.kind === 'fixed' ? ' · zoomed' : ''}
              </span>
            </div>
            <Panel
              id={1}
              data={loaded.data}
              timeRange={loaded.data.timeRange}
              timeZone="browser"
              options={panelOptions}
              fieldConfig={{ defaults: {}, overrides: [] }}
              transparent={false}
              width={panelWidth - 16}
              height={PANEL_HEIGHT}
              renderCounter={tick}
              title="LLMscope SPC"
              eventBus={eventBus}
              onOptionsChange={() => undefined}
              onFieldConfigChange={() => undefined}
              replaceVariables={(s: string) => s}
              onChangeTimeRange={(r: AbsoluteTimeRange) => setRange({ kind: 'fixed', from: r.from, to: r.to })}
            />
          </>
        )}
      </div>
      {loaded && series && idle && (
        <Suspense fallback={null}>
          <ViolationActions
            series={series}
            violations={loaded.violations}
            canChange={token !== ''}
            onAcknowledge={(id, note) =>
              change(
                'Violation acknowledged',
                async () => (await api.acknowledge(id, note, token), note ? `Note: ${note}` : '')
              )
            }
            onResetBaseline={() =>
              change(
                'Baseline reset',
                async () => (await api.resetBaseline(series, token), 'Phase I starts again with the next probes')
              )
            }
            onClear={() =>
              change('Violations cleared', async () => `${(await api.clearViolations(series, token)).deleted} deleted`)
            }
          />
        </Suspense>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    padding: theme.spacing(2),
    minHeight: '100vh',
    background: theme.colors.background.canvas,
    color: theme.colors.text.primary,
  }),
  header: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), marginBottom: theme.spacing(2) }),
  title: css({ margin: 0, fontSize: theme.typography.h3.fontSize }),
  panelBox: css({
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1),
    minHeight: PANEL_HEIGHT + 40,
  }),
  panelTitle: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  muted: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
});
