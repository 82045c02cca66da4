// What the collector hands an export process (its connection settings once, then one job at a
// time), and the messages between the two
// (docs/reliability.md, "Measurement integrity": exports never run in the probe loop's process).
import type { ViolationFilter } from '../store/violationQueries.js';

/** The plain, cloneable part of the API pool's settings: the worker opens its own connection with them. */
export interface WorkerConnection {
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  statement_timeout?: number;
  application_name?: string;
  connectionTimeoutMillis?: number;
}

export interface ExportJob {
  format: 'csv' | 'pdf';
  filter: ViolationFilter;
  /** Human-readable lines describing the filter, printed at the top of the PDF. */
  filterLines: string[];
  generatedAt: Date;
}

/** Worker → HTTP thread. `ready` comes once the first database read worked, before any byte. */
export type WorkerMessage =
  { type: 'ready' } | { type: 'data'; chunk: Uint8Array } | { type: 'end' } | { type: 'error'; message: string; code?: string };

/** HTTP thread → worker: its connection settings (once), an export to make, or room for one more chunk of it. */
export type RunnerMessage = { type: 'connect'; connection: WorkerConnection } | { type: 'job'; job: ExportJob } | { type: 'pull' };

/** Bytes the worker gathers into one message: few messages for the HTTP thread to handle. */
export const CHUNK_BYTES = 64 * 1024;
