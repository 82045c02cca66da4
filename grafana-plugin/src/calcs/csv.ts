import { csvHeaderLine, csvLine } from '@llmscope/contract';
import type { ExportRow } from './exportRows';

/** The violations CSV of @llmscope/contract: the same columns and cells as the collector's export. */
export function toCsv(rows: readonly ExportRow[]): string {
  return csvHeaderLine() + rows.map(csvLine).join('');
}
