import { finished } from 'node:stream/promises';
import { SEVERITIES } from '@llmscope/contract';
import PDFDocument from 'pdfkit';
import type { ViolationWindow } from '../report/violationWindow.js';
import type { ViolationCounts, ViolationWithTelemetry } from '../store/violationQueries.js';
import { drawControlChart } from './controlChart.js';

/** A PDF is for reading: past these sizes the CSV export is the right tool, and the report says so. */
export const MAX_TABLE_ROWS = 1000;
export const MAX_CHARTS = 24;

export interface PdfReportInput {
  /** Human-readable lines describing the filter, e.g. "rule: R1, R5". */
  filter: string[];
  counts: ViolationCounts;
  /** Newest first. */
  rows: AsyncIterable<ViolationWithTelemetry>;
  /** The ±30-point window of a violation, or null when its sample is gone. */
  windowOf(v: ViolationWithTelemetry): Promise<ViolationWindow | null>;
  generatedAt: Date;
}

const MARGIN = 36;
/**
 * The report uses the PDF standard fonts (no font files to ship), which cover WinAnsi only;
 * other characters in labels (CJK model names, emoji) would print as unrelated glyphs, so
 * they are shown as "?".
 */
const NOT_WIN_ANSI = /[^\x20-\x7E\u00A0-\u00FF\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026\u20AC]/gu;
const printable = (text: string) => text.replace(NOT_WIN_ANSI, '?');
const ROW_HEIGHT = 11;
const MAX_FILTER_LINE = 200;
/** More than a column or a chart title can show. */
const MAX_CELL = 40;
const shortened = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
const num = (v: number | null, digits: number) => (v === null || !Number.isFinite(v) ? '' : v.toFixed(digits));
const time = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

/** [header, width in points, cell text] — widths add up to the landscape A4 text width. */
const TABLE: readonly [string, number, (v: ViolationWithTelemetry) => string][] = [
  ['Time (UTC)', 82, (v) => time(v.timestamp)],
  ['Target', 70, (v) => printable(v.target)],
  ['Model', 96, (v) => printable(v.model)],
  ['Probe', 52, (v) => printable(v.probe)],
  ['Rule', 30, (v) => v.rule],
  ['Severity', 40, (v) => v.severity],
  ['Latency ms', 50, (v) => num(v.latency_ms, 1)],
  ['Dev (sd)', 36, (v) => num(v.deviation_sigma, 2)],
  ['Mean', 45, (v) => num(v.mean, 1)],
  ['UCL', 45, (v) => num(v.ucl, 1)],
  ['LCL', 45, (v) => num(v.lcl, 1)],
  ['CPU %', 32, (v) => num(v.cpu_percent, 0)],
  ['GPU %', 32, (v) => num(v.gpu_percent, 0)],
  ['Tokens', 35, (v) => (v.eval_count === null ? '' : String(v.eval_count))],
  ['Eval ms', 45, (v) => num(v.eval_duration_ms, 1)],
  ['Points', 30, (v) => String(v.points)],
];

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).fillColor('#000000').text(text, MARGIN).font('Helvetica').fontSize(9);
}

function tableRow(doc: PDFKit.PDFDocument, cells: string[], bold: boolean): void {
  if (doc.y + ROW_HEIGHT > doc.page.height - MARGIN) doc.addPage();
  const y = doc.y;
  let x = MARGIN;
  doc
    .font(bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(7)
    .fillColor('#000000');
  TABLE.forEach(([, width], i) => {
    // Cut first: with lineBreak off, pdfkit's ellipsis does not stop a long label running over its neighbours.
    doc.text(shortened(cells[i] ?? '', MAX_CELL), x, y, { width: width - 3, lineBreak: false, ellipsis: true });
    x += width;
  });
  doc.x = MARGIN;
  doc.y = y + ROW_HEIGHT;
}

function summary(doc: PDFKit.PDFDocument, counts: ViolationCounts): void {
  const bySeverity = SEVERITIES.map((s) => `${s} ${counts.bySeverity[s] ?? 0}`).join(', ');
  const byRule = Object.entries(counts.byRule)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  doc.text(`Violation episodes: ${counts.total}`);
  doc.text(`By severity: ${bySeverity}`);
  doc.text(`By rule: ${byRule || 'none'}`);
}

async function charts(doc: PDFKit.PDFDocument, charted: ViolationWithTelemetry[], input: PdfReportInput): Promise<void> {
  const columns = 3;
  const gap = 18;
  const width = (doc.page.width - 2 * MARGIN - (columns - 1) * gap) / columns;
  const height = 110;
  const titleHeight = 12;
  let column = 0;
  let rowY = doc.y + 6;
  for (const v of charted) {
    const window = await input.windowOf(v);
    if (column === 0 && rowY + titleHeight + height > doc.page.height - MARGIN) {
      doc.addPage();
      rowY = MARGIN;
    }
    const x = MARGIN + column * (width + gap);
    doc.font('Helvetica-Bold').fontSize(7).fillColor('#000000');
    doc.text(`#${v.id} ${v.rule} ${shortened(printable(v.model), MAX_CELL)} ${time(v.timestamp)}`, x, rowY, {
      width,
      lineBreak: false,
      ellipsis: true,
    });
    if (window) drawControlChart(doc, { x, y: rowY + titleHeight, width, height }, window);
    else doc.font('Helvetica').text('its sample is no longer stored', x, rowY + titleHeight, { width, lineBreak: false });
    column = (column + 1) % columns;
    if (column === 0) rowY += titleHeight + height + gap;
  }
  doc.x = MARGIN;
  doc.y = column === 0 ? rowY : rowY + titleHeight + height + gap;
}

/**
 * Writes the report into `out` (the HTTP response): the filter, the summary, a table of the
 * newest MAX_TABLE_ROWS violations with their telemetry and the ±30-point control chart of the
 * newest MAX_CHARTS of them. Rows are consumed as they are written, never collected.
 */
export async function writeViolationsPdf(out: NodeJS.WritableStream, input: PdfReportInput): Promise<void> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: 'LLMscope violation report', Creator: 'LLMscope' },
  });
  // The response emits 'close' when the client hangs up (and after a normal end, when it no longer matters).
  let closed = false;
  out.once('close', () => {
    closed = true;
  });
  const gone = () => closed;
  doc.pipe(out);
  doc.font('Helvetica-Bold').fontSize(16).text('LLMscope violation report');
  doc.font('Helvetica').fontSize(9).text(`Generated ${input.generatedAt.toISOString()}`);
  heading(doc, 'Filter');
  // Each filter value is cut short: a 10 KB model name once made a 167-page report.
  doc.text(
    input.filter.length > 0 ? printable(input.filter.map((line) => shortened(line, MAX_FILTER_LINE)).join('; ')) : 'none (all violations)',
  );
  heading(doc, 'Summary');
  summary(doc, input.counts);

  heading(doc, 'Violations (newest first)');
  doc.moveDown(0.3);
  tableRow(
    doc,
    TABLE.map(([header]) => header),
    true,
  );
  const charted: ViolationWithTelemetry[] = [];
  let listed = 0;
  for await (const v of input.rows) {
    // Stop reading the database once the table is full or the client has hung up.
    if (listed === MAX_TABLE_ROWS || gone()) break;
    tableRow(
      doc,
      TABLE.map(([, , cell]) => cell(v)),
      false,
    );
    if (charted.length < MAX_CHARTS) charted.push(v);
    listed += 1;
  }
  doc.font('Helvetica').fontSize(8).fillColor('#000000');
  if (input.counts.total > listed) {
    doc
      .moveDown(0.5)
      .text(
        `${input.counts.total - listed} more violation(s) match but are not listed here; the CSV export (format=csv) holds all of them.`,
        MARGIN,
      );
  }

  if (charted.length > 0 && !gone()) {
    heading(doc, `Control charts: the ±30-point window of the newest ${charted.length} violation(s)`);
    doc
      .fontSize(8)
      .text(
        "Latency in ms of the successful probes around each violation (red dot); the solid line is the window's own mean, the dashed lines its UCL and LCL (mean ± 3·MR/1.128).",
      );
    await charts(doc, charted, input);
  }
  doc.end();
  // Rejects with ERR_STREAM_PREMATURE_CLOSE if the client hung up before the end.
  await finished(out);
}
