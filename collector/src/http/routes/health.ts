import { Router, type Response } from 'express';
import type pg from 'pg';
import type { YieldingRegistry } from '../../metrics/yieldingRegistry.js';
import { checkReadiness, type Readiness } from '../../store/readinessQueries.js';

const READINESS_TIMEOUT_MS = 3000;

/** A hung connection attempt must not hang the probe that asks whether we are ready. */
function withTimeout(check: Promise<Readiness>): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, reason: `the database did not answer within ${READINESS_TIMEOUT_MS} ms` }),
      READINESS_TIMEOUT_MS,
    );
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when the response takes more, or is closed (a scraper that hung up never drains). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The connections /readyz asks through, and the name its answer gives them. */
export interface ReadinessSource {
  pool: pg.Pool;
  name: string;
}

export function healthRoutes(registry: YieldingRegistry, readiness: ReadinessSource): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const result = await withTimeout(checkReadiness(readiness.pool));
    // Says which connections answered, so a 503 is not read as "the API pool is full".
    if (result.ready) res.json({ status: 'ready', checked: readiness.name });
    else res.status(503).json({ status: 'not ready', checked: readiness.name, reason: result.reason });
  });

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    // Written as rendered, never joined: the whole text is ~7 MB at 1 000 series (yieldingRegistry.ts).
    for await (const piece of registry.exposition()) {
      if (res.destroyed) return;
      if (!res.write(piece)) await drained(res);
    }
    res.end();
  });

  return router;
}
