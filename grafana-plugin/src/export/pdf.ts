import { jsPDF } from 'jspdf';
import type { ExportRow } from '../calcs/exportRows';

interface PdfOptions {
  title: string;
  generatedAt: Date;
  rangeFrom: Date;
  rangeTo: Date;
}

/** Columns of the PDF table: the CSV's leading columns that fit a landscape A4 page. */
const COLUMNS: ReadonlyArray<[header: string, width: number, value: (r: ExportRow) => string]> = [
  ['Timestamp (UTC)', 42, (r) => isoTime(r.violation.timestamp).replace('T', ' ').replace('Z', '')],
  ['Model', 38, (r) => r.violation.model ?? ''],
  ['Rule', 14, (r) => r.violation.rule ?? ''],
  ['Severity', 18, (r) => r.violation.severity ?? ''],
  ['Latency ms', 22, (r) => fixed(r.violation.latency_ms, 1)],
  ['Dev. sigma', 20, (r) => fixed(r.violation.deviation_sigma, 2)],
  ['Mean', 20, (r) => fixed(r.violation.mean, 1)],
  ['UCL', 20, (r) => fixed(r.violation.ucl, 1)],
  ['LCL', 20, (r) => fixed(r.violation.lcl, 1)],
  ['CPU %', 14, (r) => fixed(r.violation.cpu_percent, 1)],
  ['GPU %', 14, (r) => fixed(r.violation.gpu_percent, 1)],
  ['Tokens', 15, (r) => fixed(r.violation.eval_count, 0)],
];

function isoTime(time: Date | number | null): string {
  return time === null ? '' : new Date(time).toISOString();
}

const MARGIN = 10;
const ROW_HEIGHT = 6;

/**
 * A printable report of the filtered violations. Helvetica covers only WinAnsi, so the
 * text stays ASCII ("sigma", not σ); cells are clipped to their column instead of wrapping.
 */
export function violationsPdf(rows: readonly ExportRow[], opts: PdfOptions): jsPDF {
  const doc = new jsPDF({ orientation: 'landscape', unit: 'mm', format: 'a4', compress: false });
  const pageHeight = doc.internal.pageSize.getHeight();
  doc.setFont('helvetica', 'bold');
  doc.setFontSize(14);
  doc.text(opts.title, MARGIN, MARGIN + 4);
  doc.setFont('helvetica', 'normal');
  doc.setFontSize(9);
  doc.text(
    `Range ${opts.rangeFrom.toISOString()} to ${opts.rangeTo.toISOString()} - ${rows.length} violation(s) - generated ${opts.generatedAt.toISOString()}`,
    MARGIN,
    MARGIN + 10
  );
  let y = MARGIN + 18;
  const header = () => {
    doc.setFont('helvetica', 'bold');
    drawRow(doc, COLUMNS.map(([h]) => h), y);
    doc.setFont('helvetica', 'normal');
    y += ROW_HEIGHT;
  };
  header();
  for (const row of rows) {
    if (y > pageHeight - MARGIN) {
      doc.addPage();
      y = MARGIN + 4;
      header();
    }
    drawRow(doc, COLUMNS.map(([, , value]) => value(row)), y);
    y += ROW_HEIGHT;
  }
  return doc;
}

function drawRow(doc: jsPDF, cells: string[], y: number): void {
  let x = MARGIN;
  cells.forEach((cell, i) => {
    const width = COLUMNS[i][1];
    doc.text(clip(doc, cell, width - 1), x, y);
    x += width;
  });
}

function clip(doc: jsPDF, text: string, width: number): string {
  let out = text;
  while (out.length > 1 && doc.getTextWidth(out) > width) {
    out = out.slice(0, -1);
  }
  return out === text ? text : `${out.slice(0, -1)}.`;
}

function fixed(value: number | null, decimals: number): string {
  return value === null ? '' : value.toFixed(decimals);
}
