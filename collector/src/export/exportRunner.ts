// Runs each violation export in a child process at a lower CPU priority (nice 10), at most
// `maxConcurrent` at once, so exports can neither stall the event loop that times the probes,
// nor take the CPU it (or the model server beside it) needs, nor pile up without bound
// (docs/reliability.md, "Measurement integrity").
import { fork, type ChildProcess } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { ExportJob, RunnerMessage, WorkerConnection, WorkerMessage } from './exportJob.js';

/** Thrown when every export slot is taken; the route answers 429. */
export class ExportsBusy extends Error {
  override name = 'ExportsBusy';
}

export interface ExportRunner {
  readonly running: number;
  /** Resolves with the export's bytes once its first database read worked; rejects with that read's error, or ExportsBusy. */
  start(job: ExportJob): Promise<Readable>;
}

/**
 * The worker is the compiled dist/export/exportWorker.js. Under vitest this module runs from
 * src/*.ts, which a plain node process cannot load, so the build beside it is used instead.
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

/** An idle worker ends after this long; the next export starts a new one. */
const IDLE_WORKER_MS = 60_000;

interface WarmWorker {
  worker: ChildProcess;
  idleTimer: NodeJS.Timeout | null;
}

function startWorker(connection: WorkerConnection): ChildProcess {
  // 'advanced' serialisation carries Buffers and Dates as they are.
  const worker = fork(fileURLToPath(workerFile()), [], {
    serialization: 'advanced',
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    if (worker.pid !== undefined) setPriority(worker.pid, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not allowed here: it still runs outside the probe loop's process
  }
  worker.send({ type: 'connect', connection } satisfies RunnerMessage);
  return worker;
}

export function createExportRunner(opts: { pool: pg.Pool; maxConcurrent: number }): ExportRunner {
  const connection = workerConnection(opts.pool);
  const idle: WarmWorker[] = [];
  let running = 0;

  // Starting a worker costs about half a second of CPU (loading pg, pdfkit and the store code),
  // so finished workers wait for the next export instead of ending.
  const take = (): WarmWorker => {
    const warm = idle.pop();
    if (warm) {
      if (warm.idleTimer) clearTimeout(warm.idleTimer);
      warm.idleTimer = null;
      warm.worker.ref();
      warm.worker.channel?.ref();
      return warm;
    }
    return { worker: startWorker(connection), idleTimer: null };
  };
  const giveBack = (warm: WarmWorker) => {
    warm.worker.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit');
    // An idle worker must not keep the collector (or a test) running; it ends with the IPC channel.
    warm.worker.unref();
    warm.worker.channel?.unref();
    warm.worker.once('exit', () => {
      const at = idle.indexOf(warm);
      if (at >= 0) idle.splice(at, 1);
    });
    warm.idleTimer = setTimeout(() => warm.worker.kill(), IDLE_WORKER_MS);
    warm.idleTimer.unref();
    idle.push(warm);
  };

  const run = (job: ExportJob): Promise<Readable> =>
    new Promise((resolve, reject) => {
      const warm = take();
      const { worker } = warm;
      let done = false;
      let ended = false;
      let ready = false;
      /** The slot is free again; a worker that finished cleanly waits for the next job. */
      const finish = (reusable: boolean) => {
        if (done) return;
        done = true;
        running--;
        if (reusable) giveBack(warm);
        else worker.kill();
      };
      const stream = new Readable({
        read() {
          worker.send({ type: 'pull' } satisfies RunnerMessage);
        },
        destroy(error, callback) {
          // Read to the end: the worker is free. Otherwise the client hung up (or something failed)
          // mid-export: ending the worker ends its statement and its connection too.
          finish(ended && !error);
          callback(error);
        },
      });
      const fail = (error: Error) => {
        if (ended) return;
        if (!ready) {
          finish(false);
          reject(error);
        } else stream.destroy(error);
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          ready = true;
          resolve(stream);
        } else if (message.type === 'data')
          stream.push(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength));
        else if (message.type === 'end') {
          ended = true;
          stream.push(null);
        } else {
          const error = Object.assign(new Error(message.message), message.code ? { code: message.code } : {});
          // A database error is the job's, not the worker's: it can take the next one.
          if (!ready) {
            finish(true);
            reject(error);
          } else stream.destroy(error);
        }
      });
      worker.on('error', fail);
      worker.on('exit', () =>
        fail(new Error(ready ? 'the export worker stopped mid-export' : 'the export worker stopped before its first read')),
      );
      worker.send({ type: 'job', job } satisfies RunnerMessage);
    });

  return {
    get running() {
      return running;
    },
    start(job) {
      if (running >= opts.maxConcurrent) {
        return Promise.reject(
          new ExportsBusy(
            `${running} export(s) are running, the most this collector allows at once (http.maxConcurrentExports); retry when one has finished`,
          ),
        );
      }
      running++;
      return run(job);
    },
  };
}
