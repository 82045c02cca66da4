// The entry of an export process (a child process at a lower CPU priority, started by
// export/exportRunner.ts): for each job it reads the violations with a connection
// of its own, renders the CSV or PDF and sends the bytes to the HTTP thread in 64 KB chunks, one
// per `pull`, so a slow client holds the worker back rather than filling memory. Row parsing,
// CSV quoting and PDF layout all happen here, off the process that times the probes. A worker
// serves one job at a time and then waits for the next (export/exportRunner.ts keeps it warm).
import { PassThrough, type Readable } from 'node:stream';
import pg from 'pg';
import { loadViolationWindow } from '../report/violationWindow.js';
import { getSample } from '../store/seriesQueries.js';
import { countViolations, iterateViolationsWithTelemetry } from '../store/violationQueries.js';
import { CHUNK_BYTES, type ExportJob, type RunnerMessage, type WorkerMessage } from './exportJob.js';
import { violationsCsv } from './violationsCsv.js';
import { writeViolationsPdf } from './violationsPdf.js';

const send = (message: WorkerMessage) => process.send!(message);
let pool: pg.Pool;

let credits = 0;
let wake: (() => void) | null = null;
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

async function render(job: ExportJob): Promise<Readable> {
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
  send({ type: 'data', chunk: Buffer.concat(parts) });
}

async function run(job: ExportJob): Promise<void> {
  credits = 0; // a pull the previous job's reader sent after its last chunk is not for this one
  try {
    const stream = await render(job);
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
  }
}

process.on('message', (message: RunnerMessage) => {
  if (message.type === 'connect') {
    // A warm worker waits up to a minute for the next export; its connection should not
    // (it would hold a server slot, and keep a dropped database's backend alive).
    pool = new pg.Pool({ ...message.connection, max: 1, idleTimeoutMillis: 1000 });
    pool.on('error', () => undefined); // the query in progress fails and says why
  } else if (message.type === 'job') void run(message.job);
  else {
    credits++;
    wake?.();
  }
});

// The collector going away (a crash, kill -9) closes the IPC channel: end with it.
process.on('disconnect', () => process.exit(0));
