import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AppEvents, EventBusSrv, FieldType, createDataFrame, createTheme } from '@grafana/data';
import { ThemeContext } from '@grafana/ui';
import { setAppEvents } from '@grafana/runtime';
import { RULES } from '@llmscope/spc';
import { panelProps, samplesFrame, sampleRows, SPIKE_INDEX, VIOLATION_ROWS, violationsFrame } from '../test/fixtures';
import { SpcPanel } from './SpcPanel';

const rows = sampleRows();

interface MarkerSeen {
  severity?: string;
  sampleIndex?: string;
  alerted?: string;
  label: string;
  borderColor: string;
  /** Centre of the marker in the plot's cursor layer (jsdom places that layer at 0, 0). */
  x: number;
  y: number;
}

/**
 * The painted markers as the keyboard reaches them: focus the marker list, then Home and
 * ArrowRight through every one, reading the active option each time.
 */
function markers(): MarkerSeen[] {
  // The first panel on the page (one test renders a second one).
  const [layer] = screen.queryAllByTestId('spc-violation-markers');
  if (!layer) {
    return [];
  }
  const out: MarkerSeen[] = [];
  const count = Number(layer.dataset.count);
  for (let k = 0; k < count; k++) {
    fireEvent.keyDown(layer, { key: k === 0 ? 'Home' : 'ArrowRight' });
    const option = within(layer).getByTestId('spc-violation-marker');
    expect(layer.getAttribute('aria-activedescendant')).toBe(option.id);
    const size = parseFloat(option.style.width);
    out.push({
      ...option.dataset,
      label: option.getAttribute('aria-label') ?? '',
      borderColor: option.style.borderColor,
      x: parseFloat(option.style.left) + size / 2,
      y: parseFloat(option.style.top) + size / 2,
    });
  }
  return out;
}

/** uPlot commits its first draw in a microtask; the markers are painted and laid out in it. */
async function drawnMarkers() {
  await waitFor(() =>
    expect(screen.getAllByTestId('spc-violation-markers').every((l) => Number(l.dataset.count) > 0)).toBe(true)
  );
  return markers();
}

/** A mouse click at the marker's place on the chart: the hit test finds it. */
function clickMarker(marker: MarkerSeen) {
  const over = document.querySelector('.u-over') as HTMLElement;
  fireEvent.mouseDown(over, { clientX: marker.x, clientY: marker.y, button: 0 });
  fireEvent.mouseUp(over, { clientX: marker.x, clientY: marker.y, button: 0 });
  fireEvent.click(over, { clientX: marker.x, clientY: marker.y, button: 0 });
}

describe('SpcPanel', () => {
  it('draws the chart with one marker per flagged point, coloured by severity', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    expect(screen.getByTestId('spc-control-chart')).toBeInTheDocument();
    expect((await drawnMarkers()).map((m) => m.severity)).toEqual(['critical', 'warning', 'info']);
    expect(markers()[0].label).toMatch(/critical violation R1, R5 at 2026-11-27 12:30:00/);
    // Painted on the canvas, not one element each: the list renders the active marker only.
    expect(screen.getAllByTestId('spc-violation-marker')).toHaveLength(1);
    expect(screen.getByTestId('spc-violation-markers')).toHaveAttribute('role', 'listbox');
  });

  it('takes its colours from the theme, light or dark', async () => {
    const light = createTheme({ colors: { mode: 'light' } });
    const dark = createTheme({ colors: { mode: 'dark' } });
    expect(light.colors.error.main).not.toBe(dark.colors.error.main);
    render(
      <ThemeContext.Provider value={light}>
        <SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />
      </ThemeContext.Provider>
    );
    const critical = (await drawnMarkers())[0];
    const probe = document.createElement('div');
    probe.style.borderColor = light.colors.error.main;
    expect(critical.borderColor).toBe(probe.style.borderColor);
  });

  it('opens the drawer from a marker with telemetry, context table, mini chart and the rules broken', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    clickMarker((await drawnMarkers())[0]);
    const drawer = screen.getByTestId('spc-violation-drawer');
    const spike = rows[SPIKE_INDEX];

    const telemetry = within(drawer).getByTestId('spc-telemetry');
    expect(telemetry).toHaveTextContent(`Total duration${spike.total_duration_ms.toFixed(3)} ms`);
    expect(telemetry).toHaveTextContent('Load duration512.063 ms');
    expect(telemetry).toHaveTextContent(`Eval duration${spike.eval_duration_ms.toFixed(3)} ms`);
    expect(telemetry).toHaveTextContent(`Prompt tokens${spike.prompt_eval_count}`);
    expect(telemetry).toHaveTextContent(`Response tokens${spike.eval_count}`);
    const tps = spike.eval_count / (spike.eval_duration_ms / 1000);
    expect(telemetry).toHaveTextContent(`Tokens/s${tps.toFixed(2)}`);
    expect(telemetry).toHaveTextContent('Cold startyes (model loaded)');

    const table = within(drawer).getByTestId('spc-context-table');
    const bodyRows = within(table).getAllByRole('row').slice(1);
    expect(bodyRows).toHaveLength(21);
    const highlighted = bodyRows.filter((r) => r.getAttribute('aria-current') === 'true');
    expect(highlighted).toHaveLength(1);
    expect(bodyRows.indexOf(highlighted[0])).toBe(10);
    expect(highlighted[0]).toHaveTextContent('1450.3');
    // ln(1450.25/800) / 0.08 = 7.44σ in the log-scaled chart
    expect(highlighted[0]).toHaveTextContent('+7.44 σ');
    expect(bodyRows[0]).toHaveTextContent('12:25:00.000');

    const mini = within(drawer).getByTestId('spc-mini-chart');
    expect(mini.querySelectorAll('circle')).toHaveLength(61);
    expect(mini.querySelectorAll('circle[data-violation="true"]')).toHaveLength(1);
    expect(mini.querySelectorAll('[data-limit]')).toHaveLength(3);

    const broken = within(drawer).getAllByTestId('spc-rule-broken');
    expect(broken.map((b) => b.textContent)).toEqual([
      expect.stringContaining(RULES.find((r) => r.id === 'R1')!.description),
      expect.stringContaining(RULES.find((r) => r.id === 'R5')!.description),
    ]);
    expect(within(broken[0]).getByText('critical')).toBeInTheDocument();
  });

  it('closes a drawer opened by a click on a painted marker with one Escape', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    clickMarker((await drawnMarkers())[0]);
    const drawer = screen.getByTestId('spc-violation-drawer');
    // The drawer's focus manager moves focus to its Close button, whose tooltip opens on that
    // focus and used to take the first Escape for itself (docs/performance.md).
    await waitFor(() => expect(screen.getByTestId('data-testid Drawer close')).toHaveFocus());
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape', keyCode: 27 });
    expect(drawer).not.toBeInTheDocument();
    expect(screen.queryByTestId('spc-violation-drawer')).not.toBeInTheDocument();
  });

  it('reaches the markers from the keyboard: arrows move, Enter opens the drawer of the marker announced', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    await drawnMarkers();
    const layer = screen.getByTestId('spc-violation-markers');
    layer.focus();
    fireEvent.keyDown(layer, { key: 'End' });
    fireEvent.keyDown(layer, { key: 'ArrowLeft' });
    const option = within(layer).getByTestId('spc-violation-marker');
    expect(option).toHaveAttribute('aria-label', expect.stringMatching(/^warning violation/));
    fireEvent.keyDown(layer, { key: 'Enter' });
    const drawer = screen.getByTestId('spc-violation-drawer');
    expect(within(drawer).getByTestId('spc-context-table').querySelector('tr[aria-current="true"]')).not.toBeNull();
    expect(screen.getByText(/^Violation /)).toHaveTextContent(
      `Violation ${option.getAttribute('title')?.split(' (')[0]}`
    );
  });

  it('a click away from every marker opens nothing', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    const [first] = await drawnMarkers();
    clickMarker({ ...first, x: first.x + 40, y: first.y + 40 });
    expect(screen.queryByTestId('spc-violation-drawer')).not.toBeInTheDocument();
  });

  it('filters markers and the list by rule, while the drawer still names every rule the point broke', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    await screen.findByTestId('spc-violation-list');
    const list = () => within(screen.getByTestId('spc-violation-list')).getAllByRole('button');
    expect(list()).toHaveLength(3);
    expect(await drawnMarkers()).toHaveLength(3);
    fireEvent.click(screen.getByLabelText('Show R7'));
    await waitFor(() => expect(markers().map((m) => m.severity)).toEqual(['critical', 'warning']));
    expect(list()).toHaveLength(2);
    fireEvent.click(screen.getByLabelText('Show R1'));
    // The spike still broke R5, so its marker stays, now a warning.
    await waitFor(() => expect(markers().map((m) => m.severity)).toEqual(['warning', 'warning']));
    fireEvent.click(list()[1]);
    expect(within(screen.getByTestId('spc-violation-drawer')).getAllByTestId('spc-rule-broken')).toHaveLength(2);
  });

  it('keeps the filter the user set across refreshes, and follows the visible-rules option when it changes', async () => {
    const props = panelProps([samplesFrame(), violationsFrame()]);
    const { rerender } = render(<SpcPanel {...props} />);
    expect(await drawnMarkers()).toHaveLength(3);
    fireEvent.click(await screen.findByLabelText('Show R7'));
    await waitFor(() => expect(markers()).toHaveLength(2));
    rerender(<SpcPanel {...props} data={{ ...props.data }} />);
    await waitFor(() => expect(markers()).toHaveLength(2));
    rerender(<SpcPanel {...props} options={{ ...props.options, visibleRules: ['R7'] }} />);
    await waitFor(() => expect(markers().map((m) => m.severity)).toEqual(['info']));
  });

  it('renders the chart first; the toolbar, summary, violation list and legend follow once it is drawn', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    expect(screen.getByTestId('spc-control-chart')).toBeInTheDocument();
    expect(screen.queryByTestId('spc-summary')).not.toBeInTheDocument();
    expect(screen.queryByTestId('spc-violation-list')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Show R1')).not.toBeInTheDocument();
    expect(screen.queryByText('Rules legend')).not.toBeInTheDocument();
    await drawnMarkers();
    expect(await screen.findByLabelText('Show R1')).toBeInTheDocument();
    expect(screen.getByText('Rules legend')).toBeInTheDocument();
    expect(await screen.findByTestId('spc-summary')).toHaveTextContent('Probes (failed)120 (1)');
    expect(within(screen.getByTestId('spc-violation-list')).getAllByRole('button')).toHaveLength(3);
  });

  it('expands the rules legend with the texts of @llmscope/spc', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    await drawnMarkers();
    expect(screen.queryByTestId('spc-rules-legend')).not.toBeInTheDocument();
    fireEvent.click(await screen.findByText('Rules legend'));
    const legend = screen.getByTestId('spc-rules-legend');
    for (const rule of RULES) {
      expect(legend).toHaveTextContent(rule.description);
    }
  });

  it('summarises the visible range', async () => {
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    await drawnMarkers();
    const summary = await screen.findByTestId('spc-summary');
    expect(within(summary).getByText('critical').previousSibling).toHaveTextContent('1');
    expect(within(summary).getByText('warning').previousSibling).toHaveTextContent('2');
    expect(within(summary).getByText('info').previousSibling).toHaveTextContent('1');
    expect(summary).toHaveTextContent('Probes (failed)120 (1)');
  });

  it('shows a message naming the missing field instead of a blank panel', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'latency', type: FieldType.number, values: [1, 2] },
      ],
    });
    render(<SpcPanel {...panelProps([frame])} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Missing field "latency_ms"');
    expect(screen.queryByTestId('spc-control-chart')).not.toBeInTheDocument();
  });

  it("shows Grafana's no-data view (PanelDataErrorView) for an empty response", async () => {
    render(<SpcPanel {...panelProps([])} />);
    // @grafana/runtime's stand-in for the view Grafana installs at boot.
    expect(screen.getByText(/Unable to render data/)).toBeInTheDocument();
    expect(screen.queryByTestId('spc-control-chart')).not.toBeInTheDocument();
  });

  it('renders hostile model names, error texts and notes as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const timeoutIndex = 30;
    const annotations = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [rows[timeoutIndex].time] },
        { name: 'text', type: FieldType.string, values: [`R1 ${hostile}`] },
        { name: 'tags', type: FieldType.other, values: [['R1']] },
      ],
    });
    render(
      <SpcPanel {...panelProps([samplesFrame(sampleRows(120, hostile, hostile))], { annotations: [annotations] })} />
    );
    const marker = (await drawnMarkers()).find((m) => m.sampleIndex === String(timeoutIndex));
    clickMarker(marker!);
    const drawer = screen.getByTestId('spc-violation-drawer');
    expect(drawer).toHaveTextContent(`Model${hostile}`);
    expect(drawer).toHaveTextContent(`Error${hostile}`);
    expect(drawer).toHaveTextContent(`R1 ${hostile}`);
    expect(document.querySelectorAll('script, img[src="x"]')).toHaveLength(0);
    expect(window).not.toHaveProperty('__pwned');
  });

  it('draws model load/evict annotations as lines, not as violations', async () => {
    const annotations = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [rows[40].time] },
        { name: 'text', type: FieldType.string, values: ['llama3.2:1b load (100% on GPU)'] },
        { name: 'tags', type: FieldType.other, values: [['model-load']] },
      ],
    });
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()], { annotations: [annotations] })} />);
    expect(await drawnMarkers()).toHaveLength(3);
    const lines = await screen.findAllByTestId('spc-model-event');
    expect(lines).toHaveLength(1);
    expect(lines[0].dataset.kind).toBe('load');
    expect(lines[0].title).toContain('llama3.2:1b load (100% on GPU)');
  });

  it('renders a hostile note from the violations query (not only from annotations) as text', async () => {
    const hostile = '<svg onload="window.__pwned=1"></svg><script>window.__pwned=1</script>&lt;b&gt;';
    const frame = violationsFrame();
    frame.fields.push({ name: 'note', type: FieldType.string, values: VIOLATION_ROWS.map(() => hostile), config: {} });
    render(<SpcPanel {...panelProps([samplesFrame(), frame])} />);
    clickMarker((await drawnMarkers())[0]);
    const drawer = screen.getByTestId('spc-violation-drawer');
    expect(drawer).toHaveTextContent(hostile);
    expect(document.querySelectorAll('script, svg[onload]')).toHaveLength(0);
    expect(window).not.toHaveProperty('__pwned');
  });

  it('sends a drag-zoom to the dashboard time range', async () => {
    const onChangeTimeRange = jest.fn();
    render(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()], { onChangeTimeRange })} />);
    await drawnMarkers();
    const over = document.querySelector('.u-over') as HTMLElement;
    const plot = over.parentElement as HTMLElement;
    expect(plot).not.toBeNull();
    // uPlot reads the drag from mouse positions relative to its cursor layer.
    over.getBoundingClientRect = () => ({
      left: 0,
      top: 0,
      width: 600,
      height: 300,
      right: 600,
      bottom: 300,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    });
    fireEvent.mouseDown(over, { clientX: 100, clientY: 50, button: 0 });
    fireEvent.mouseMove(over, { clientX: 300, clientY: 60 });
    fireEvent.mouseUp(over, { clientX: 300, clientY: 60, button: 0 });
    expect(onChangeTimeRange).toHaveBeenCalledTimes(1);
    const { from, to } = onChangeTimeRange.mock.calls[0][0];
    expect(to).toBeGreaterThan(from);
  });

  it('without an alerts query, toasts new critical violations on refresh only when enabled', async () => {
    const bus = new EventBusSrv();
    setAppEvents(bus);
    const toasts: unknown[] = [];
    // Grafana's toast layer listens with the legacy `on(AppEvents.alert…)` API.
    bus.on(AppEvents.alertError, (payload) => toasts.push(payload));
    bus.on(AppEvents.alertWarning, (payload) => toasts.push(payload));
    const older = violationsFrame([{ id: 3, sampleIndex: 95, rule: 'R2', severity: 'warning', deviation_sigma: 0.8 }]);

    const { rerender } = render(
      <SpcPanel {...panelProps([samplesFrame(), older], { options: { notifyNewViolations: true } })} />
    );
    await drawnMarkers();
    expect(toasts).toHaveLength(0);
    rerender(
      <SpcPanel {...panelProps([samplesFrame(), violationsFrame()], { options: { notifyNewViolations: true } })} />
    );
    // R5 (warning) and R7 (info) are new too, but only a critical signal is news without the alert policy.
    expect(toasts).toEqual([['LLMscope: 1 new critical SPC violation', 'Rules: R1']]);

    toasts.length = 0;
    const quiet = render(<SpcPanel {...panelProps([samplesFrame(), older])} />);
    quiet.rerender(<SpcPanel {...panelProps([samplesFrame(), violationsFrame()])} />);
    await drawnMarkers();
    expect(toasts).toHaveLength(0);
  });

  it('with the alerts query, toasts new alerts (not rule violations), rings the signals inside an alert and counts alerts in the summary', async () => {
    const bus = new EventBusSrv();
    setAppEvents(bus);
    const toasts: unknown[] = [];
    bus.on(AppEvents.alertError, (payload) => toasts.push(payload));
    bus.on(AppEvents.alertWarning, (payload) => toasts.push(payload));
    const spike = rows[SPIKE_INDEX].time;
    const alerts = (ids: number[], severities: string[], ends: Array<number | null>) =>
      createDataFrame({
        refId: 'alerts',
        fields: [
          { name: 'id', type: FieldType.number, values: ids },
          { name: 'detector', type: FieldType.string, values: ids.map(() => 'CUSUM') },
          { name: 'severity', type: FieldType.string, values: severities },
          { name: 'effect', type: FieldType.number, values: ids.map(() => 0.5) },
          { name: 'started_at', type: FieldType.time, values: ids.map(() => spike) },
          { name: 'ended_at', type: FieldType.time, values: ends },
        ],
      });
    const options = { options: { notifyNewViolations: true } };
    const { rerender } = render(
      <SpcPanel {...panelProps([samplesFrame(), violationsFrame(), alerts([], [], [])], options)} />
    );
    await drawnMarkers();
    rerender(
      <SpcPanel {...panelProps([samplesFrame(), violationsFrame(), alerts([9], ['critical'], [spike])], options)} />
    );
    expect(toasts).toEqual([['LLMscope: 1 new alert', 'critical CUSUM +50 %']]);

    await waitFor(() =>
      expect(
        markers()
          .filter((m) => m.alerted === 'true')
          .map((m) => m.sampleIndex)
      ).toEqual([String(SPIKE_INDEX)])
    );
    const counts = within(await screen.findByTestId('spc-summary-alerts'));
    expect(counts.getByText('Critical alerts').nextSibling?.textContent).toBe('0 open · 1 raised');
  });
});
