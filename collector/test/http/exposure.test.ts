// Promise (docs/reliability.md, "Secrets and exposure"): a collector on loopback answers only
// requests addressed to a loopback host (a DNS-rebinding page on evil.example gets 421); CORS "*"
// and listening on every interface work but are warned about; a stop does not wait for a
// download that never ends.
import pg from 'pg';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createHttpApp, startHttpServer } from '../../src/http/server.js';
import { YieldingRegistry } from '../../src/metrics/yieldingRegistry.js';
import { capturedLogger } from '../helpers/collector.js';
import { recordingPipeline } from './fixtures.js';

// No query runs in these tests: the pool is never connected.
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
const deps = (http: Record<string, unknown>, logger = capturedLogger().logger) => ({
  config: { http: { host: '127.0.0.1', port: 0, ...http } as { host: string; port: number } },
  pool,
  registry: new YieldingRegistry(),
  logger,
  pipeline: recordingPipeline(0),
});

describe('exposure', () => {
  it('on loopback, a request whose Host is another name is refused (DNS rebinding)', async () => {
    const app = createHttpApp(deps({}));
    const refused = await request(app).get('/healthz').set('Host', 'evil.example:8080').expect(421);
    expect(refused.body.error).toMatch(/answers only requests addressed to it/);
    await request(app).get('/healthz').set('Host', 'localhost:8080').expect(200);
    await request(app).get('/healthz').set('Host', '127.0.0.1:8080').expect(200);
    await request(app).get('/healthz').set('Host', '[::1]:8080').expect(200);
    // Bound to every interface the Host header cannot be known in advance: no check.
    await request(createHttpApp(deps({ host: '0.0.0.0' })))
      .get('/healthz')
      .set('Host', 'collector.lan')
      .expect(200);
  });

  it('warns about CORS "*" and about listening on every interface', async () => {
    const { logger, text } = capturedLogger('warn');
    const server = await startHttpServer(deps({ host: '0.0.0.0', corsOrigin: '*' }, logger));
    await server.close();
    expect(text()).toContain('listens on every network interface (0.0.0.0)');
    expect(text()).toContain('CORS origin is \\"*');
  });
});
