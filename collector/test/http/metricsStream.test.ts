// Promise (docs/scaling.md, "Prometheus cardinality"): /metrics is written to the scraper in
// pieces as it is rendered, never joined into one 7 MB string; a scraper that hangs up halfway
// costs nothing and the next scrape is whole.
import { connect } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/http/server.js';
import { createCollectorMetrics } from '../../src/metrics/collectorMetrics.js';
import { YieldingRegistry } from '../../src/metrics/yieldingRegistry.js';
import { recordingPipeline } from './fixtures.js';

// No query runs in these tests: the pool is never connected.
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
const registry = new YieldingRegistry();
let server: Awaited<ReturnType<typeof startHttpServer>>;

beforeAll(async () => {
  const observer = createCollectorMetrics(registry);
  for (let i = 0; i < 300; i++) observer.seriesKnown({ target: 't', model: `model-${i}`, probe: 'p' });
  server = await startHttpServer({
    config: { http: { host: '127.0.0.1', port: 0 } },
    pool,
    registry,
    logger: pino({ level: 'silent' }),
    pipeline: recordingPipeline(0),
  });
});
afterAll(async () => {
  await server.close();
  await pool.end();
});

/** The raw reply to GET /metrics, up to `maxBytes` when given (then the socket is destroyed). */
function rawScrape(maxBytes = Infinity): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.length >= maxBytes) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}

describe('/metrics', () => {
  it('is sent chunked, as it is rendered, and reads back as the whole exposition', async () => {
    const reply = await rawScrape();
    const [head] = reply.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head).toMatch(/transfer-encoding: chunked/i);
    expect(head).not.toMatch(/content-length/i);
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text.match(/^llmscope_probe_requests_total\{/gm)).toHaveLength(1200);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('survives a scraper that hangs up halfway, and the next scrape is whole', async () => {
    await rawScrape(64 * 1024);
    await rawScrape(1);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text.match(/^llmscope_spc_violations_total\{/gm)).toHaveLength(300 * 14);
  });
});
