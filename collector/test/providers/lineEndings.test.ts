// Streamed replies split into lines on LF with an optional CR before it (SSE servers often
// send CRLF): the CR is not part of the JSON, and a reply that carried no text is an error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OllamaProvider } from '../../src/providers/ollama.js';
import { OpenAiProvider } from '../../src/providers/openai.js';

let server: Server;
let base: string;
const request = { model: 'm', prompt: 'p', options: {}, timeoutMs: 10_000 };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const [, mode] = (req.url ?? '').split('/');
      res.writeHead(200);
      if (req.url?.endsWith('/v1/chat/completions')) {
        const content = mode === 'empty' ? '' : 'hi';
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\r\n\r\n`);
        res.write(
          `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 2, completion_tokens: mode === 'empty' ? 0 : 1 } })}\r\n\r\n`,
        );
        res.end('data: [DONE]\r\n\r\n');
        return;
      }
      const response = mode === 'empty' ? '' : 'hi';
      res.write(`${JSON.stringify({ response, done: false })}\r\n`);
      res.end(`${JSON.stringify({ done: true, eval_count: mode === 'empty' ? 0 : 1, eval_duration: 1e6 })}\r\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('CRLF-terminated reply streams', () => {
  it('are read line by line: Ollama NDJSON and OpenAI SSE probes are ok with their TTFT and counts', async () => {
    const ollama = new OllamaProvider({ url: `${base}/text` });
    const openai = new OpenAiProvider({ url: `${base}/text/v1` });
    for (const result of [await ollama.probe(request), await openai.probe(request)]) {
      expect(result).toMatchObject({ status: 'ok', error: null, evalCount: 1 });
      expect(result.ttftMs).not.toBeNull();
    }
    await Promise.all([ollama.close(), openai.close()]);
  });

  it('a reply without any text is an error naming it, on both', async () => {
    const ollama = new OllamaProvider({ url: `${base}/empty` });
    const openai = new OpenAiProvider({ url: `${base}/empty/v1` });
    for (const result of [await ollama.probe(request), await openai.probe(request)]) {
      expect(result.status).toBe('error');
      expect(result.error).toMatch(/the model returned no tokens/);
      expect(result.ttftMs).toBeNull();
    }
    await Promise.all([ollama.close(), openai.close()]);
  });
});
