import { Readable } from 'node:stream';
import { csvHeaderLine, csvLine } from '@llmscope/contract';
import type { ViolationWithTelemetry } from '../store/violationQueries.js';

async function* lines(rows: AsyncIterable<ViolationWithTelemetry>): AsyncGenerator<string> {
  yield csvHeaderLine();
  // A joined row carries the violation's columns and its sample's telemetry under their own names.
  for await (const row of rows) yield csvLine({ violation: row, sample: row });
}

/**
 * The violations CSV of @llmscope/contract (the panel writes the same one) as a byte stream that
 * pulls the next row only when the consumer has room, so the whole export never sits in memory.
 */
export function violationsCsv(rows: AsyncIterable<ViolationWithTelemetry>): Readable {
  return Readable.from(lines(rows), { objectMode: false });
}
