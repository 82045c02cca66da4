// The peer of the panel benchmark: a Recharts LineChart (the chart library the original
// LLMscope dashboard used) drawing the same samples, limits and violation markers. Built as
// an AMD module whose React comes from the host page, so both charts share one React.
import { createElement as h } from 'react';
// The host page shares react-dom but not react-dom/client; in React 18's production build
// react-dom's own createRoot is the same function the client entry wraps.
import * as ReactDOM from 'react-dom';
import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, XAxis, YAxis } from 'recharts';

const SEVERITY_COLOURS = { critical: '#f2495c', warning: '#ff9830', info: '#5794f2' };

/** Renders into `container`; the caller times until the markers are in the DOM and painted. */
export function renderRecharts(container, { samples, violations, width, height }) {
  const points = samples.map((s) => ({ time: s.time, latency: s.latency_ms }));
  const first = samples[0];
  const byId = new Map(samples.map((s) => [s.id, s]));
  const root = ReactDOM.createRoot(container);
  root.render(
    h(
      LineChart,
      { width, height, data: points, margin: { top: 8, right: 16, bottom: 8, left: 8 } },
      h(CartesianGrid, { strokeDasharray: '3 3' }),
      h(XAxis, { dataKey: 'time', type: 'number', domain: ['dataMin', 'dataMax'], scale: 'time' }),
      h(YAxis, { type: 'number', domain: ['auto', 'auto'] }),
      h(ReferenceLine, { y: first.spc_center, stroke: '#73bf69' }),
      h(ReferenceLine, { y: first.spc_ucl, stroke: '#f2495c', strokeDasharray: '4 4' }),
      h(ReferenceLine, { y: first.spc_lcl, stroke: '#f2495c', strokeDasharray: '4 4' }),
      h(Line, { dataKey: 'latency', stroke: '#8ab8ff', dot: false, isAnimationActive: false }),
      ...violations.map((v) => {
        const sample = byId.get(v.sample_id);
        return h(ReferenceDot, {
          key: v.id,
          x: sample.time,
          y: sample.latency_ms,
          r: 5,
          fill: SEVERITY_COLOURS[v.severity] ?? SEVERITY_COLOURS.info,
          stroke: 'none',
          className: 'bench-recharts-marker',
        });
      }),
    ),
  );
  return () => root.unmount();
}
