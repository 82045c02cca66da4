// The worker thread behind designThread.ts: solves alert detector designs (the bootstrap of
// docs/alerting.md, ~0.2 s of CPU each) so the collector's event loop never does.
import { parentPort, threadId } from 'node:worker_threads';
import { designDetector, type DesignRequest } from '@llmscope/spc';

export interface DesignJob {
  id: number;
  request: DesignRequest;
}

parentPort?.on('message', (job: DesignJob) => {
  try {
    parentPort!.postMessage({ id: job.id, design: designDetector(job.request), threadId });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).message, threadId });
  }
});
