// Solves a series' alert detector design in a worker thread before the probe that ends its
// Phase I reaches the (synchronous) alert monitor, which then finds it cached. On the event
// loop the bootstrap took ~0.2 s, long enough for the loop-lag guard to mark the probes in
// flight suspect (docs/alerting.md, docs/reliability.md).
import { Worker } from 'node:worker_threads';
import { cacheDesign, isDesignCached, type DesignRequest, type DetectorDesign } from '@llmscope/spc';
import type { DesignJob } from './designWorker.js';

interface DesignReply {
  id: number;
  design?: DetectorDesign;
  error?: string;
  threadId: number;
}

export interface DesignThread {
  /**
   * Solves the design in the worker and caches it in this thread; resolves with the worker's
   * thread id (what the tests check). Null when it was cached already.
   */
  prime(request: DesignRequest): Promise<number | null>;
  close(): Promise<void>;
}

/** Under vitest this module runs from src/*.ts, which a worker cannot load: the build beside it is used. */
function workerFile(): URL {
  const url = new URL('./designWorker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return url;
  const at = url.href.lastIndexOf('/src/');
  return new URL(`${url.href.slice(0, at)}/dist/${url.href.slice(at + '/src/'.length)}`);
}

/**
 * An idle worker is ended after this long. Designs come in bursts (a collector's series end
 * Phase I together) and then not for days, and a worker thread holds its own V8 heap: started,
 * one added 34 MB of RSS; ended, 9 MB of it went back to the system at once and the rest is
 * free for the main thread's use (docs/scaling.md, "Collector memory").
 */
const IDLE_MS = 10_000;

/** One worker, started at the first design of a burst and ended when idle (designs are rare: once per series and Phase I). */
export function createDesignThread({ idleMs = IDLE_MS }: { idleMs?: number } = {}): DesignThread {
  let worker: Worker | null = null;
  let nextId = 0;
  let idleTimer: NodeJS.Timeout | null = null;
  const waiting = new Map<number, { resolve: (reply: DesignReply) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    worker = null;
  };
  const cancelIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
  };
  const release = () => {
    idleTimer = null;
    const w = worker;
    if (!w || waiting.size > 0) return;
    worker = null;
    w.removeAllListeners('exit');
    void w.terminate();
  };
  const idleSoon = () => {
    cancelIdle();
    if (waiting.size > 0) return;
    idleTimer = setTimeout(release, idleMs);
    idleTimer.unref();
  };
  const started = (): Worker => {
    cancelIdle();
    if (worker) return worker;
    const w = new Worker(workerFile());
    // An idle worker must not keep the collector's process alive.
    w.unref();
    w.on('message', (reply: DesignReply) => {
      waiting.get(reply.id)?.resolve(reply);
      waiting.delete(reply.id);
      idleSoon();
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', (code) => failAll(new Error(`the alert design worker exited (code ${code})`)));
    worker = w;
    return w;
  };
  const solve = async (request: DesignRequest): Promise<number | null> => {
    if (isDesignCached(request)) return null;
    const id = nextId++;
    const reply = await new Promise<DesignReply>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      started().postMessage({ id, request } satisfies DesignJob);
    });
    if (!reply.design) throw new Error(`the alert design worker could not solve the design: ${reply.error ?? 'no answer'}`);
    cacheDesign(request, reply.design);
    return reply.threadId;
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    prime(request) {
      if (isDesignCached(request)) return Promise.resolve(null);
      // One job at a time, each looking in the cache when its turn comes: series that end
      // Phase I together (all of them, when a collector starts with 1 000) mostly share a
      // design, and it is then solved once instead of once per series queued behind it.
      const turn = queue.then(() => solve(request));
      queue = turn.catch(() => undefined);
      return turn;
    },
    async close() {
      cancelIdle();
      const w = worker;
      worker = null;
      if (w) {
        w.removeAllListeners('exit');
        failAll(new Error('the alert design worker was closed'));
        await w.terminate();
      }
    },
  };
}
