// Promise (docs/reliability.md, "Secrets and exposure", operator mistakes): `demo` with a
// database URL that never answers ends when its --duration runs out (or on Ctrl-C) with an
// error naming the database, instead of retrying forever.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/runDemo.js';
import { capturedLogger } from '../helpers/collector.js';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('llmscope demo with a database that never answers', () => {
  it('gives up when --duration runs out, naming the database', async () => {
    const port = await closedPort();
    const { logger } = capturedLogger('warn');
    await expect(
      runDemo({
        intervalMs: 100,
        durationMs: 1500,
        port: 0,
        databaseUrl: `postgres://nobody@127.0.0.1:${port}/none`,
        logger,
        print: () => undefined,
      }),
    ).rejects.toThrow(`gave up waiting for the database at postgres://nobody@127.0.0.1:${port}/none`);
  }, 30_000);

  it('gives up on Ctrl-C (the stop signal) when it runs without a duration', async () => {
    const port = await closedPort();
    const { logger } = capturedLogger('warn');
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const demo = runDemo({
      intervalMs: 100,
      durationMs: null,
      port: 0,
      databaseUrl: `postgres://nobody@127.0.0.1:${port}/none`,
      logger,
      print: () => undefined,
      stopSignal,
    });
    setTimeout(stop, 1000);
    await expect(demo).rejects.toThrow(/gave up waiting for the database/);
  }, 30_000);
});
