// The human-readable report `llmscope analyze` prints without --json.
import { ruleInfo, toDisplayLimits, type ControlLimits } from '@llmscope/spc';
import type { AlertRow } from './analyzeAlerts.js';
import type { AnalyzeResult } from './analyzeSeries.js';
import type { Points } from './readPoints.js';

const figure = (value: number): string => String(Number(value.toPrecision(6)));

export function formatTable(file: string, points: Points, limits: ControlLimits, result: AnalyzeResult): string {
  const display = toDisplayLimits(limits);
  const source = limits.n === 0 ? 'known centre and sigma' : `${limits.n} baseline points, sigma by ${limits.sigmaMethod}`;
  const out: string[] = [
    `${file}: ${result.points} points; limits from ${source}; transform ${limits.transform}`,
    '',
    `  UCL     ${figure(display.ucl)}`,
    `  +2σ     ${figure(display.plus2)}`,
    `  +1σ     ${figure(display.plus1)}`,
    `  centre  ${figure(display.center)}`,
    `  −1σ     ${figure(display.minus1)}`,
    `  −2σ     ${figure(display.minus2)}`,
    `  LCL     ${figure(display.lcl)}`,
    `  sigma   ${figure(display.sigma)}${limits.transform === 'log' ? `  (ln scale: ${figure(limits.sigma)})` : ''}`,
    '',
  ];
  const timed = points.times !== undefined;
  if (result.violations.length === 0) {
    out.push('No rule violations.');
  } else {
    const rows = result.violations.map(({ index, rule, timestamp }) => {
      const info = ruleInfo(rule);
      return [
        String(index),
        String(points.lines[index - 1]),
        ...(timed ? [timestamp ?? ''] : []),
        figure(points.values[index - 1]!),
        rule,
        info.severity,
        info.name,
      ];
    });
    const header = ['Point', 'Line', ...(timed ? ['Time'] : []), 'Value', 'Rule', 'Severity', 'Meaning'];
    out.push(...table(header, rows, timed ? [0, 1, 3] : [0, 1, 2]), '');
    const flaggedPoints = new Set(result.violations.map((violation) => violation.index)).size;
    out.push(
      `${result.violations.length} violation${result.violations.length === 1 ? '' : 's'} on ${flaggedPoints} point${flaggedPoints === 1 ? '' : 's'}.`,
    );
  }
  if (result.alerts) out.push('', ...alertLines(result.alerts, timed));
  return out.join('\n');
}

function alertLines(alerts: AlertRow[], timed: boolean): string[] {
  const paging = alerts.filter((a) => a.severity !== 'info').length;
  const summary = `${alerts.length} alert episode${alerts.length === 1 ? '' : 's'} (${paging} critical or warning) by the collector's default alert policy (docs/alerting.md).`;
  if (alerts.length === 0) return ["No alerts by the collector's default alert policy (docs/alerting.md)."];
  const rows = alerts.map((a) => [
    String(a.start),
    String(a.end),
    ...(timed ? [a.timestamp ?? ''] : []),
    a.severity,
    a.detector,
    `${a.effect >= 0 ? '+' : ''}${(100 * a.effect).toFixed(1)} %`,
  ]);
  const header = ['Start', 'End', ...(timed ? ['Time'] : []), 'Severity', 'Detector', 'Effect'];
  return [...table(header, rows, [0, 1]), '', summary];
}

/** Columns padded to their widest cell; the listed columns right-aligned. */
function table(header: string[], rows: string[][], rightAligned: number[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (rightAligned.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
