// Runs each violation export in a worker thread of its own, at most `maxConcurrent` at once, so
// exports can neither stall the event loop that times the probes nor pile up without bound
// (docs/reliability.md, "Measurement integrity").
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { PULL, type ExportJob, type WorkerConnection, type WorkerMessage } from './exportJob.js';

/** Thrown when every export slot is taken; the route answers 429. */
export class ExportsBusy extends Error {
  override name = 'ExportsBusy';
}

export interface ExportRunner {
  readonly running: number;
  /** Resolves with the export's bytes once its first database read worked; rejects with that read's error, or ExportsBusy. */
  start(job: Omit<ExportJob, 'connection'>): Promise<Readable>;
}

/**
 * The worker is the compiled dist/export/exportWorker.js. Under vitest this module runs from
 * src/*.ts, which a plain worker thread cannot load, so the build beside it is used instead.
 */
function workerFile(): URL {
  const url = new URL('./exportWorker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return url;
  const at = url.href.lastIndexOf('/src/');
  return new URL(`${url.href.slice(0, at)}/dist/${url.href.slice(at + '/src/'.length)}`);
}

/** The settings a worker needs to open the same kind of connection as the API pool (cloneable values only). */
export function workerConnection(pool: pg.Pool): WorkerConnection {
  const o = pool.options as pg.PoolConfig & { statement_timeout?: number };
  const picked: WorkerConnection = {};
  if (o.connectionString !== undefined) picked.connectionString = o.connectionString;
  if (o.host !== undefined) picked.host = o.host;
  if (o.port !== undefined) picked.port = o.port;
  if (o.user !== undefined) picked.user = o.user;
  if (typeof o.password === 'string') picked.password = o.password;
  if (o.database !== undefined) picked.database = o.database;
  if (typeof o.statement_timeout === 'number') picked.statement_timeout = o.statement_timeout;
  picked.application_name = 'llmscope-export';
  picked.connectionTimeoutMillis = o.connectionTimeoutMillis ?? 5000;
  return picked;
}

function runWorker(job: ExportJob, onDone: () => void): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(), { workerData: job });
    let settled = false;
    let ended = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      onDone();
    };
    const stream = new Readable({
      read() {
        worker.postMessage(PULL);
      },
      destroy(error, callback) {
        // A client that hung up (or an error) ends the worker and with it its connection.
        void worker.terminate().finally(() => {
          finish();
          callback(error);
        });
      },
    });
    const fail = (error: Error) => {
      if (!ended) {
        reject(error);
        stream.destroy(error);
      }
    };
    let ready = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        ready = true;
        resolve(stream);
      } else if (message.type === 'data') stream.push(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength));
      else if (message.type === 'end') {
        ended = true;
        stream.push(null);
      } else fail(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
    });
    worker.on('error', fail);
    worker.on('exit', () => {
      finish();
      if (!ended && !stream.destroyed) fail(new Error(ready ? 'the export worker stopped mid-export' : 'the export worker stopped before its first read'));
    });
  });
}

export function createExportRunner(opts: { pool: pg.Pool; maxConcurrent: number }): ExportRunner {
  const connection = workerConnection(opts.pool);
  let running = 0;
  return {
    get running() {
      return running;
    },
    start(job) {
      if (running >= opts.maxConcurrent) {
        return Promise.reject(new ExportsBusy(`${running} export(s) are running, the most this collector allows at once (http.maxConcurrentExports); retry when one has finished`));
      }
      running++;
      return runWorker({ ...job, connection }, () => running--);
    },
  };
}
