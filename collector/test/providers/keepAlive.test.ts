// Providers keep one keep-alive pool per target (providers/serverConnection.ts): probes reuse
// sockets instead of opening one each, concurrent probes never wait for each other's socket,
// and the latency still ends at the reply's final chunk, not when the connection is free again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OllamaProvider } from '../../src/providers/ollama.js';
import { OpenAiProvider } from '../../src/providers/openai.js';

/** How long the server holds the end of a reply after its final chunk, in the 'linger' mode. */
const LINGER_MS = 600;

let server: Server;
let base: string;
let connections = 0;
let openSockets = 0;

const request = { model: 'm', prompt: 'p', options: {}, timeoutMs: 10_000 };
/**
 * A cadence leaves time between a series' probes. Back to back (not even a timer between),
 * undici sees the previous socket still busy and opens a second one, which then stays in use.
 */
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const linger = req.url?.startsWith('/linger');
      if (req.url?.endsWith('/v1/chat/completions')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'hi' } }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 1 } })}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ response: 'hi', done: false })}\n`);
      const last = `${JSON.stringify({ done: true, eval_count: 1, eval_duration: 1e6 })}\n`;
      if (!linger) return res.end(last);
      res.write(last);
      setTimeout(() => res.end(), LINGER_MS);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    connections++;
    openSockets++;
    socket.on('close', () => openSockets--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  connections = 0;
});

describe('keep-alive connections per target', () => {
  it('30 probes one after another use one TCP connection', async () => {
    const ollama = new OllamaProvider({ url: base });
    for (let i = 0; i < 30; i++) {
      expect((await ollama.probe(request)).status).toBe('ok');
      await pause();
    }
    expect(connections).toBe(1);
    await ollama.close();
  });

  it('concurrent probes each get a socket at once, and later rounds reuse them: 10 connections for 50 probes', async () => {
    const ollama = new OllamaProvider({ url: base });
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(Array.from({ length: 10 }, () => ollama.probe(request)));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill('ok'));
      await pause();
    }
    expect(connections).toBeLessThanOrEqual(10);
    await ollama.close();
  });

  it('the latency ends at the final chunk even when the server holds the connection open after it; the socket is then reused', async () => {
    const ollama = new OllamaProvider({ url: `${base}/linger` });
    const first = await ollama.probe(request);
    expect(first.status).toBe('ok');
    expect(first.latencyMs).toBeLessThan(LINGER_MS);
    await pause();
    // The probe ends once the reply has (its end is read off after the latency is taken).
    expect((await ollama.probe(request)).status).toBe('ok');
    expect(connections).toBe(1);
    await ollama.close();
  });

  it('the OpenAI-compatible provider reuses its connection too', async () => {
    const openai = new OpenAiProvider({ url: `${base}/v1` });
    for (let i = 0; i < 10; i++) {
      expect(await openai.probe(request)).toMatchObject({ status: 'ok', evalCount: 1 });
      await pause();
    }
    expect(connections).toBe(1);
    await openai.close();
  });

  it('close() ends the pooled sockets', async () => {
    const before = openSockets;
    const ollama = new OllamaProvider({ url: base });
    await Promise.all(Array.from({ length: 3 }, () => ollama.probe(request)));
    expect(openSockets).toBe(before + 3);
    await ollama.close();
    const deadline = Date.now() + 5000;
    while (openSockets > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(openSockets).toBe(before);
  });
});
