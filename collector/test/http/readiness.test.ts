// Promise (docs/reliability.md, "Measurement integrity"): /readyz asks the database through the
// writer's pool, so API requests holding every connection of the API pool cannot make it report
// a database that is up as down; its answer names the pool it checked.
import request from 'supertest';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { createHttpApp } from '../../src/http/server.js';
import { YieldingRegistry } from '../../src/metrics/yieldingRegistry.js';
import { createPool } from '../../src/store/pool.js';
import { recordingPipeline } from './fixtures.js';

const db = useMigratedDatabase();
const logger = pino({ level: 'silent' });

function app(apiPool: ReturnType<typeof createPool>, writerPool?: ReturnType<typeof createPool>) {
  return createHttpApp({
    config: { http: { host: '127.0.0.1', port: 0 } },
    pool: apiPool,
    ...(writerPool ? { readiness: { pool: writerPool, name: 'writer pool' } } : {}),
    registry: new YieldingRegistry(),
    logger,
    pipeline: recordingPipeline(0),
  });
}

describe('/readyz with the API pool exhausted', () => {
  it('is ready through the writer pool while every API connection is held', async () => {
    const apiPool = createPool({ databaseUrl: db.url, logger, max: 2, applicationName: 'readyz-api' });
    const writerPool = createPool({ databaseUrl: db.url, logger, max: 2, applicationName: 'readyz-writer' });
    const held = await Promise.all([apiPool.connect(), apiPool.connect()]);
    try {
      // Every connection of the API pool is taken: an API query now waits.
      expect(apiPool.totalCount).toBe(2);
      expect(apiPool.idleCount).toBe(0);
      const ready = await request(app(apiPool, writerPool)).get('/readyz').expect(200);
      expect(ready.body).toEqual({ status: 'ready', checked: 'writer pool' });
      // The same check through the full API pool (what /readyz did before) reports it down.
      const viaApi = await request(app(apiPool)).get('/readyz').expect(503);
      expect(viaApi.body).toMatchObject({ status: 'not ready', checked: 'api pool' });
      expect(viaApi.body.reason).toMatch(/did not answer within/);
    } finally {
      for (const client of held) client.release();
      await apiPool.end();
      await writerPool.end();
    }
  }, 30_000);
});
