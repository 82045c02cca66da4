import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';
import { formatNumber } from '../../calcs/telemetry';
import { MINI_CHART_RADIUS, miniChartData } from '../../calcs/window';
import type { SampleTable } from '../../data/sampleTable';

const W = 560;
const H = 170;
const PAD = { left: 8, right: 92, top: 10, bottom: 10 };

/**
 * The 30 ok samples either side of the violation against that window's own mean/UCL/LCL
 * (story 1.3, docs/architecture.md): shows whether the point is odd locally or only against
 * the frozen baseline.
 */
export function MiniChart({ table, index }: { table: SampleTable; index: number }) {
  const theme = useTheme2();
  const { rows, focus, limits } = miniChartData(table, index);
  // Failed probes are drawn grey, pinned inside the axis, and left out of line and limits.
  const answered = rows.map((s) => (s.status === 'ok' ? s.latencyMs : null));
  const present = answered.filter((v): v is number => v !== null);
  const span = [...present, ...(limits ? [limits.ucl, limits.lcl] : [])];
  const lo = span.length > 0 ? Math.min(...span) : 0;
  const hi = span.length > 0 ? Math.max(...span) : 1;
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  const yMin = lo - pad;
  const yMax = hi + pad;
  const x = (i: number) => PAD.left + (rows.length <= 1 ? 0 : (i / (rows.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) =>
    PAD.top + ((yMax - Math.min(Math.max(v, yMin), yMax)) / (yMax - yMin)) * (H - PAD.top - PAD.bottom);
  const path = answered
    .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
    .filter((p): p is string => p !== null)
    .join(' ');
  const blue = theme.visualization.getColorByName('blue');
  const fill = (i: number) =>
    i === focus ? theme.colors.error.main : answered[i] === null ? theme.colors.text.disabled : blue;

  return (
    <section aria-label="Mini chart">
      <h4>Window: ±{MINI_CHART_RADIUS} points, own limits</h4>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`Latency of ${rows.length} points around the violation`}
        data-testid="spc-mini-chart"
        style={{ background: theme.colors.background.secondary, borderRadius: 4 }}
      >
        {limits && (
          <>
            <LimitLine theme={theme} y={y(limits.ucl)} label={`UCL ${formatNumber(limits.ucl, 1)}`} kind="ucl" />
            <LimitLine theme={theme} y={y(limits.mean)} label={`Mean ${formatNumber(limits.mean, 1)}`} kind="mean" />
            <LimitLine theme={theme} y={y(limits.lcl)} label={`LCL ${formatNumber(limits.lcl, 1)}`} kind="lcl" />
          </>
        )}
        <polyline points={path} fill="none" stroke={blue} strokeWidth={1.5} />
        {rows.map((s, i) =>
          s.latencyMs === null ? null : (
            <circle
              key={s.index}
              cx={x(i)}
              cy={y(s.latencyMs)}
              r={i === focus ? 5 : 2.5}
              fill={fill(i)}
              data-violation={i === focus ? 'true' : undefined}
              data-status={s.status}
            />
          )
        )}
      </svg>
    </section>
  );
}

function LimitLine({
  theme,
  y,
  label,
  kind,
}: {
  theme: GrafanaTheme2;
  y: number;
  label: string;
  kind: 'ucl' | 'mean' | 'lcl';
}) {
  const color = kind === 'mean' ? theme.visualization.getColorByName('green') : theme.colors.error.main;
  return (
    <g data-limit={kind}>
      <line
        x1={PAD.left}
        x2={W - PAD.right}
        y1={y}
        y2={y}
        stroke={color}
        strokeWidth={1}
        strokeDasharray={kind === 'mean' ? undefined : '6 4'}
      />
      <text x={W - PAD.right + 4} y={y + 4} fill={theme.colors.text.secondary} fontSize={11}>
        {label}
      </text>
    </g>
  );
}
