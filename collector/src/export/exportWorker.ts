// The entry of an export worker thread: reads the violations with a connection of its own,
// renders the CSV or PDF and sends the bytes to the HTTP thread in 64 KB chunks, one per
// `pull`, so a slow client holds the worker back rather than filling memory. Row parsing,
// CSV quoting and PDF layout all happen here, off the thread that times the probes.
import { PassThrough, type Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { loadViolationWindow } from '../report/violationWindow.js';
import { getSample } from '../store/seriesQueries.js';
import { countViolations, iterateViolationsWithTelemetry } from '../store/violationQueries.js';
import { CHUNK_BYTES, PULL, type ExportJob, type WorkerMessage } from './exportJob.js';
import { violationsCsv } from './violationsCsv.js';
import { writeViolationsPdf } from './violationsPdf.js';

const port = parentPort!;
const job = workerData as ExportJob;
const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let credits = 0;
let wake: (() => void) | null = null;
port.on('message', (message) => {
  if (message !== PULL) return;
  credits++;
  wake?.();
});
async function credit(): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  wake = null;
  credits--;
}

/** Reads the first row before saying `ready`, so a database failure still gets a proper status. */
async function primed<T>(rows: AsyncGenerator<T>): Promise<AsyncIterable<T>> {
  const first = await rows.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* rows;
  })();
}

async function render(pool: pg.Pool): Promise<Readable> {
  if (job.format === 'csv') return violationsCsv(await primed(iterateViolationsWithTelemetry(pool, job.filter)));
  const counts = await countViolations(pool, job.filter);
  const out = new PassThrough();
  writeViolationsPdf(out, {
    filter: job.filterLines,
    counts,
    rows: iterateViolationsWithTelemetry(pool, job.filter, 200),
    generatedAt: job.generatedAt,
    async windowOf(v) {
      const sample = await getSample(pool, v.sample_id);
      return sample ? loadViolationWindow(pool, sample) : null;
    },
  }).catch((error: unknown) => out.destroy(error as Error));
  return out;
}

async function flush(parts: Buffer[]): Promise<void> {
  await credit();
  const chunk = new Uint8Array(Buffer.concat(parts));
  send({ type: 'data', chunk }, [chunk.buffer as ArrayBuffer]);
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ ...job.connection, max: 1 });
  pool.on('error', () => undefined); // the query in progress fails and says why
  try {
    const stream = await render(pool);
    send({ type: 'ready' });
    let parts: Buffer[] = [];
    let size = 0;
    for await (const part of stream as AsyncIterable<Buffer | string>) {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      parts.push(bytes);
      size += bytes.length;
      if (size >= CHUNK_BYTES) {
        await flush(parts);
        parts = [];
        size = 0;
      }
    }
    if (size > 0) await flush(parts);
    send({ type: 'end' });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    send({ type: 'error', message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) });
  } finally {
    await pool.end().catch(() => undefined);
  }
}

void main();
