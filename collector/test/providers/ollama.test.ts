import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalChunkTelemetry, OllamaProvider } from '../../src/providers/ollama.js';
import { OpenAiProvider } from '../../src/providers/openai.js';
import { parsePs, residencyChanges } from '../../src/providers/residency.js';
import { FAULT_KINDS, type FaultKind } from '../../src/simulator/schedule.js';
import { SimulatedOllama } from '../../src/simulator/server.js';

const request = (model: string, timeoutMs = 5000) => ({ model, prompt: 'hello', options: { num_predict: 16, temperature: 0 }, timeoutMs });

describe('Ollama final-chunk maths', () => {
  it('converts ns to ms and computes tokens/s = eval_count / (eval_duration_ms / 1000)', () => {
    // A real final chunk from Ollama 0.12 (llama3.2:1b on a laptop GPU).
    const t = finalChunkTelemetry({
      total_duration: 4_935_886_791,
      load_duration: 534_986_708,
      prompt_eval_count: 26,
      prompt_eval_duration: 107_345_000,
      eval_count: 290,
      eval_duration: 4_289_432_000,
    });
    expect(t.totalDurationMs).toBeCloseTo(4935.886791, 6);
    expect(t.loadDurationMs).toBeCloseTo(534.986708, 6);
    expect(t.promptEvalDurationMs).toBeCloseTo(107.345, 6);
    expect(t.evalDurationMs).toBeCloseTo(4289.432, 6);
    expect(t.tokensPerSecond).toBeCloseTo(290 / 4.289432, 9);
    expect(t.coldStart).toBe(true);
  });

  it('treats missing fields as 0 (warm call, cached prompt) and has no tokens/s without an eval duration', () => {
    const t = finalChunkTelemetry({ total_duration: 50_000_000, eval_count: 10, eval_duration: 40_000_000 });
    expect(t).toMatchObject({ loadDurationMs: 0, promptEvalCount: 0, promptEvalDurationMs: 0, evalCount: 10, coldStart: false });
    expect(t.tokensPerSecond).toBeCloseTo(250, 9);
    expect(finalChunkTelemetry({}).tokensPerSecond).toBeNull();
  });
});

describe('providers against the simulated Ollama over HTTP', () => {
  const sim = new SimulatedOllama({
    models: [
      { name: 'm', medianMs: 40, loadMs: 300 },
      { name: 'f', medianMs: 20 },
    ],
    seed: 7,
  });
  let ollama: OllamaProvider;
  beforeAll(async () => {
    ollama = new OllamaProvider({ url: await sim.start() });
  }, 120_000);
  afterAll(() => sim.stop());

  it('times a cold then a warm probe and reports consistent telemetry', async () => {
    const cold = await ollama.probe(request('m'));
    expect(cold.status).toBe('ok');
    expect(cold.coldStart).toBe(true);
    expect(cold.loadDurationMs).toBeGreaterThan(250);
    const warm = await ollama.probe(request('m'));
    expect(warm).toMatchObject({ status: 'ok', error: null, coldStart: false, loadDurationMs: 0, evalCount: 16, promptEvalCount: 18 });
    for (const r of [cold, warm]) {
      // Our wall clock includes the server's own total plus the HTTP round trip.
      expect(r.latencyMs).toBeGreaterThanOrEqual(r.totalDurationMs! - 1);
      expect(r.latencyMs).toBeLessThan(r.totalDurationMs! + 1000); // generous: the CPU may be shared
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(r.ttftMs).toBeLessThan(r.latencyMs);
      expect(r.ttftMs!).toBeGreaterThanOrEqual(r.loadDurationMs! + r.promptEvalDurationMs! - 5);
      expect(r.tokensPerSecond).toBeCloseTo(r.evalCount! / (r.evalDurationMs! / 1000), 9);
    }
  });

  const expected: Record<FaultKind, { status: 'error' | 'timeout'; error: RegExp }> = {
    reset: { status: 'error', error: /fetch failed|socket|terminated|ECONNRESET/i },
    hang: { status: 'timeout', error: /no complete reply .* within 500 ms/ },
    http500: { status: 'error', error: /HTTP 500: llama runner process has terminated/ },
    garbage: { status: 'error', error: /malformed JSON in the reply stream: <html>/ },
    truncate: { status: 'error', error: /ended before its final \(done\) chunk/ },
    slow: { status: 'timeout', error: /within 500 ms/ },
    'error-field': { status: 'error', error: /Ollama error: llama runner process has terminated/ },
    'no-tokens': { status: 'error', error: /returned no tokens/ },
  };

  it.each(FAULT_KINDS)('fault %s → exactly one result with the right status, and the next probe is fine', async (kind) => {
    await ollama.probe(request('f')); // warm
    sim.injectFault('f', kind);
    const result = await ollama.probe(request('f', 500));
    expect(result.status).toBe(expected[kind].status);
    expect(result.error).toMatch(expected[kind].error);
    expect(result.latencyMs).toBeGreaterThan(0);
    const after = await ollama.probe(request('f'));
    expect(after.status).toBe('ok');
  });

  it('a 100× slow reply within the timeout is ok and 100× slower', async () => {
    sim.injectFault('f', 'slow');
    const slow = await ollama.probe(request('f', 10_000));
    expect(slow.status).toBe('ok');
    expect(slow.latencyMs).toBeGreaterThan(20 * 30);
  });

  it('connection refused → error naming the cause', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const result = await new OllamaProvider({ url: `http://127.0.0.1:${port}` }).probe(request('m'));
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/ECONNREFUSED/);
    await expect(new OllamaProvider({ url: `http://127.0.0.1:${port}` }).listModels()).rejects.toThrow(
      /no Ollama answers at http:\/\/127\.0\.0\.1/,
    );
  });

  it('the simulator also answers /api/chat and non-streamed requests, with consistent telemetry', async () => {
    const chat = await (
      await fetch(`${sim.url}/api/chat`, {
        method: 'POST',
        body: JSON.stringify({ model: 'f', messages: [{ role: 'user', content: 'hi' }], stream: false, options: { num_predict: 5 } }),
      })
    ).json();
    expect(chat).toMatchObject({ model: 'f', done: true, message: { role: 'assistant' }, eval_count: 5 });
    expect(chat.total_duration).toBeGreaterThanOrEqual(chat.prompt_eval_duration + chat.eval_duration);
    const version = await (await fetch(`${sim.url}/api/version`)).json();
    expect(version.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("unknown model → error with Ollama's message", async () => {
    const result = await ollama.probe(request('nope'));
    expect(result).toMatchObject({ status: 'error' });
    expect(result.error).toMatch(/HTTP 404: model "nope" not found/);
  });

  it('lists models and reads residency from /api/ps', async () => {
    expect(await ollama.listModels()).toEqual(['m', 'f']);
    const res = await fetch(`${sim.url}/api/ps`);
    const resident = parsePs(await res.json());
    expect(resident.map((r) => r.model).sort()).toEqual(['f', 'm']);
    expect(resident[0]?.gpuFraction).toBe(1);
    sim.unload('m');
    const after = parsePs(await (await fetch(`${sim.url}/api/ps`)).json());
    const events = residencyChanges(new Map(resident.map((r) => [r.model, r])), after);
    expect(events.map((e) => [e.event, e.model])).toEqual([['evict', 'm']]);
    const split = residencyChanges(
      new Map(after.map((r) => [r.model, r])),
      after.map((r) => ({ ...r, gpuFraction: 0.5 })),
    );
    expect(split[0]).toMatchObject({ event: 'split_change', model: 'f', detail: 'GPU share 100% → 50%' });
  });

  it('OpenAI-compatible provider: latency, TTFT and token counts from the usage chunk', async () => {
    const openai = new OpenAiProvider({ url: `${sim.url}/v1` });
    const r = await openai.probe(request('f'));
    expect(r).toMatchObject({
      status: 'ok',
      evalCount: 16,
      promptEvalCount: 18,
      evalDurationMs: null,
      totalDurationMs: null,
      tokensPerSecond: null,
    });
    expect(r.ttftMs).toBeLessThan(r.latencyMs);
    expect(await openai.listModels()).toEqual(['m', 'f']);
    sim.injectFault('f', 'truncate');
    expect((await openai.probe(request('f'))).error).toMatch(/ended before \[DONE\]/);
    sim.injectFault('f', 'http500');
    expect((await openai.probe(request('f'))).error).toMatch(/HTTP 500/);
    sim.injectFault('f', 'hang');
    expect((await openai.probe(request('f', 300))).status).toBe('timeout');
  });
});
