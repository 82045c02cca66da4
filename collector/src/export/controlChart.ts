import type { ViolationWindow } from '../report/violationWindow.js';

export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const LINE_COLOUR = '#1f5fa8';
const LIMIT_COLOUR = '#c62828';
const MEAN_COLOUR = '#2e7d32';
const LABEL_WIDTH = 58;

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

/**
 * Draws a violation's ±30-point window as vectors: the latency line, the window's own mean
 * (solid) and UCL/LCL (dashed), the violation point in red, the lines' values on the right.
 */
export function drawControlChart(doc: PDFKit.PDFDocument, box: ChartBox, window: ViolationWindow): void {
  const plot = { x: box.x, y: box.y, width: box.width - LABEL_WIDTH, height: box.height };
  doc.save();
  doc.lineWidth(0.5).strokeColor('#999999').rect(plot.x, plot.y, plot.width, plot.height).stroke();
  const values = window.points.map((p) => p.latency_ms);
  const lines = window.limits ? [window.limits.ucl, window.limits.mean, window.limits.lcl] : [];
  const all = [...values, ...lines];
  if (all.length === 0) {
    doc
      .fontSize(7)
      .fillColor('#666666')
      .text('no points', plot.x + 4, plot.y + 4, { lineBreak: false });
    doc.restore();
    return;
  }
  let low = Math.min(...all);
  let high = Math.max(...all);
  const pad = (high - low) * 0.08 || Math.max(1, Math.abs(high) * 0.05);
  low -= pad;
  high += pad;
  const yOf = (v: number) => plot.y + plot.height - ((v - low) / (high - low)) * plot.height;
  const step = window.points.length > 1 ? plot.width / (window.points.length - 1) : 0;
  const xOf = (i: number) => (window.points.length > 1 ? plot.x + i * step : plot.x + plot.width / 2);

  if (window.limits) {
    const { ucl, mean, lcl } = window.limits;
    const labelled: [number, string, string, boolean][] = [
      [ucl, `UCL ${fmt(ucl)}`, LIMIT_COLOUR, true],
      [mean, `mean ${fmt(mean)}`, MEAN_COLOUR, false],
      [lcl, `LCL ${fmt(lcl)}`, LIMIT_COLOUR, true],
    ];
    for (const [value, label, colour, dashed] of labelled) {
      const y = yOf(value);
      if (dashed) doc.dash(3, { space: 2 });
      doc
        .lineWidth(0.6)
        .strokeColor(colour)
        .moveTo(plot.x, y)
        .lineTo(plot.x + plot.width, y)
        .stroke();
      doc.undash();
      doc
        .fontSize(6)
        .fillColor(colour)
        .text(label, plot.x + plot.width + 3, y - 3, { width: LABEL_WIDTH - 3, lineBreak: false });
    }
  }

  doc.lineWidth(0.8).strokeColor(LINE_COLOUR);
  window.points.forEach((p, i) => {
    if (i === 0) doc.moveTo(xOf(i), yOf(p.latency_ms));
    else doc.lineTo(xOf(i), yOf(p.latency_ms));
  });
  if (window.points.length > 1) doc.stroke();
  window.points.forEach((p, i) => {
    doc.circle(xOf(i), yOf(p.latency_ms), p.is_violation ? 2.6 : 1).fill(p.is_violation ? LIMIT_COLOUR : LINE_COLOUR);
  });
  doc.restore();
}
