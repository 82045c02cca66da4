// The human-readable report `llmscope analyze` prints without --json.
import { ruleInfo, toDisplayLimits, type ControlLimits } from '@llmscope/spc';
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
  if (result.violations.length === 0) {
    out.push('No rule violations.');
    return out.join('\n');
  }
  const rows = result.violations.map(({ index, rule }) => {
    const info = ruleInfo(rule);
    return [String(index), String(points.lines[index - 1]), figure(points.values[index - 1]!), rule, info.severity, info.name];
  });
  const header = ['Point', 'Line', 'Value', 'Rule', 'Severity', 'Meaning'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  out.push(line(header), ...rows.map(line), '');
  const flaggedPoints = new Set(result.violations.map((violation) => violation.index)).size;
  out.push(`${result.violations.length} violation${result.violations.length === 1 ? '' : 's'} on ${flaggedPoints} point${flaggedPoints === 1 ? '' : 's'}.`);
  return out.join('\n');
}
