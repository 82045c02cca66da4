import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { configSchema, type CollectorConfig, type ConfigInput } from '../../src/config/schema.js';

/** A config for a collector under test: its own spill file, any free HTTP port. */
export function testConfig(input: Partial<ConfigInput> & Pick<ConfigInput, 'targets'>): CollectorConfig {
  const dir = mkdtempSync(join(tmpdir(), 'llmscope-collector-'));
  return configSchema.parse({
    collector: 'test',
    http: { host: '127.0.0.1', port: 0 },
    ...input,
    store: { spillFile: join(dir, 'spill.ndjson'), flushInterval: '20ms', retryInterval: '100ms', ...input.store },
    // A loaded test machine lags the event loop often; tests about suspect samples set their own bound.
    telemetry: { gpu: false, psInterval: '200ms', suspectLoopLag: '10s', ...input.telemetry },
  });
}

/** A logger whose lines the test can read. */
export function capturedLogger(level = 'info'): { logger: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines, text: () => lines.join('\n') };
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
