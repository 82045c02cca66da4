import React, { useCallback, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import type { RuleId } from '@llmscope/spc';
import { toExportRows } from '../calcs/exportRows';
import { summarize } from '../calcs/summary';
import { countAlerts, pointsInAlerts, readAlerts } from '../data/alerts';
import { filterByRule, groupByPoint } from '../data/flaggedPoints';
import { readModelEvents } from '../data/modelEvents';
import { readSamples } from '../data/samples';
import { EMPTY_TABLE } from '../data/sampleTable';
import { readViolations } from '../data/violations';
import { useAfterFirstPaint } from '../hooks/useAfterFirstPaint';
import { useNewViolationToasts } from '../hooks/useNewViolationToasts';
import type { SpcOptions } from '../types';
import { ControlChart } from './ControlChart/ControlChart';
import { ExportButtons } from './ExportButtons/ExportButtons';
import { PanelMessage } from './PanelMessage/PanelMessage';
import { RuleFilter } from './RuleFilter/RuleFilter';
import { countByRule, filterableRules } from './RuleFilter/filterRules';
import { RulesLegend } from './RulesLegend/RulesLegend';
import { SummaryCard } from './SummaryCard/SummaryCard';
import { ViolationDrawer } from './ViolationDrawer/ViolationDrawer';
import { ViolationList } from './ViolationList/ViolationList';

const TOOLBAR_HEIGHT = 36;
const LEGEND_HEADER_HEIGHT = 40;
const SIDEBAR_MIN_PANEL_WIDTH = 640;

export function SpcPanel({
  id,
  data,
  fieldConfig,
  options,
  width,
  height,
  timeRange,
  timeZone,
  onChangeTimeRange,
  eventBus,
}: PanelProps<SpcOptions>) {
  const styles = useStyles2(getStyles);
  const samplesResult = useMemo(
    () => readSamples(data.series, options.sampleFields),
    [data.series, options.sampleFields]
  );
  const table = useMemo(() => (samplesResult.ok ? samplesResult.table : EMPTY_TABLE), [samplesResult]);
  const violations = useMemo(
    () => readViolations(data.series, data.annotations, options.violationFields, options.violationSource, table),
    [data.series, data.annotations, options.violationFields, options.violationSource, table]
  );
  const modelEvents = useMemo(() => readModelEvents(data.annotations), [data.annotations]);
  const alerts = useMemo(() => readAlerts(data.series), [data.series]);
  const [visible, setVisible] = useState<Set<RuleId>>(() => new Set(options.visibleRules));
  // The filter follows the option when the option changes, adjusted during render: an effect
  // would also fire on mount and render the whole panel (100k points) a second time.
  const [visibleOption, setVisibleOption] = useState(options.visibleRules);
  if (visibleOption !== options.visibleRules) {
    setVisibleOption(options.visibleRules);
    setVisible(new Set(options.visibleRules));
  }
  const [selected, setSelected] = useState<number | null>(null);
  useNewViolationToasts(violations, alerts, options.notifyNewViolations);

  const filtered = useMemo(() => filterByRule(violations, visible), [violations, visible]);
  const points = useMemo(() => {
    const grouped = groupByPoint(filtered);
    const inAlert = pointsInAlerts(grouped, table, alerts ?? []);
    return inAlert.size === 0
      ? grouped
      : grouped.map((p) => (inAlert.has(p.sampleIndex) ? { ...p, alerted: true } : p));
  }, [filtered, table, alerts]);
  const allPoints = useMemo(() => groupByPoint(violations), [violations]);
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const xRange = useMemo<[number, number]>(() => [from, to], [from, to]);
  const [chartDrawn, setChartDrawn] = useState(false);
  const onChartDrawn = useCallback(() => setChartDrawn(true), []);
  const afterChart = useAfterFirstPaint(chartDrawn);
  const summary = useMemo(
    () => (afterChart && options.showSummary ? summarize(table, filtered, from, to) : null),
    [afterChart, options.showSummary, table, filtered, from, to]
  );
  const alertCounts = useMemo(() => (alerts === null ? null : countAlerts(alerts, from, to)), [alerts, from, to]);
  const inRange = useMemo(() => filtered.filter((v) => v.time >= from && v.time <= to), [filtered, from, to]);

  // No rows at all is Grafana's "No data" (its own view, with its suggestions); rows without
  // the columns the chart needs get a message naming the column.
  if (data.series.every((frame) => frame.length === 0)) {
    return <PanelDataErrorView panelId={id} data={data} fieldConfig={fieldConfig} needsTimeField needsNumberField />;
  }
  if (!samplesResult.ok) {
    return <PanelMessage message={samplesResult.message} />;
  }

  const sidebar = options.showSummary || options.showViolationList;
  const withSidebar = sidebar && width >= SIDEBAR_MIN_PANEL_WIDTH;
  const sidebarWidth = withSidebar ? Math.min(300, Math.round(width * 0.3)) : 0;
  const chartWidth = width - sidebarWidth - (withSidebar ? 8 : 0);
  const chartHeight = Math.max(120, height - TOOLBAR_HEIGHT - (options.showRulesLegend ? LEGEND_HEADER_HEIGHT : 0));
  const selectedPoint = selected === null ? undefined : allPoints.find((p) => p.sampleIndex === selected);
  // The toolbar, sidebar and legend follow the chart's first painted frame (useAfterFirstPaint):
  // their Grafana UI components cost more to mount than the chart takes to draw; the toolbar's
  // height is kept, so nothing moves when they arrive.
  const sideContent = afterChart && (
    <>
      {summary && <SummaryCard summary={summary} alerts={alertCounts} />}
      {options.showViolationList && <ViolationList points={points} table={table} onSelect={setSelected} />}
    </>
  );

  return (
    <div className={styles.wrapper} style={{ width, height }} data-testid="spc-panel">
      <div className={styles.toolbar} style={{ height: TOOLBAR_HEIGHT }}>
        {afterChart && (
          <>
            <RuleFilter
              rules={filterableRules(violations)}
              visible={visible}
              counts={countByRule(violations)}
              onChange={setVisible}
            />
            <ExportButtons count={inRange.length} getRows={() => toExportRows(inRange, table)} range={{ from, to }} />
          </>
        )}
      </div>
      <div className={styles.main}>
        <ControlChart
          table={table}
          points={points}
          width={chartWidth}
          height={chartHeight}
          timeZone={timeZone}
          xRange={xRange}
          showZones={options.showZones}
          latencyAxis={options.latencyAxis}
          onZoom={onChangeTimeRange}
          onSelectPoint={setSelected}
          onDrawn={onChartDrawn}
          eventBus={eventBus}
          modelEvents={modelEvents}
        />
        {withSidebar && (
          <aside className={styles.sidebar} style={{ width: sidebarWidth, height: chartHeight }}>
            {sideContent}
          </aside>
        )}
      </div>
      {sidebar && !withSidebar && <div className={styles.below}>{sideContent}</div>}
      {afterChart && options.showRulesLegend && <RulesLegend />}
      {selectedPoint && <ViolationDrawer point={selectedPoint} table={table} onClose={() => setSelected(null)} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ display: 'flex', flexDirection: 'column', overflowY: 'auto', overflowX: 'hidden' }),
  toolbar: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    flexShrink: 0,
  }),
  main: css({ display: 'flex', gap: theme.spacing(1), flexShrink: 0 }),
  sidebar: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), overflow: 'hidden' }),
  below: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
});
