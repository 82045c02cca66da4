// Promise (docs/reliability.md, "Hostile model servers"): whatever a model server sends, a probe
// ends with a sample whose error names the bound it crossed; the collector never follows a
// redirect, never downloads more than its bounds, and keeps only a short, printable excerpt of
// the server's own error text.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { OllamaProvider } from '../../src/providers/ollama.js';
import { OpenAiProvider } from '../../src/providers/openai.js';
import { acceptableModels, DEFAULT_REPLY_LIMITS, type ReplyLimits } from '../../src/providers/replyLimits.js';
import { redactDatabaseUrl } from '../../src/store/pool.js';
import { sanitizeSample } from '../../src/store/sanitizeSample.js';
import { sampleRow } from '../helpers/rows.js';

const LIMITS: ReplyLimits = { maxReplyBytes: 256 * 1024, maxLineLength: 16 * 1024, maxJsonDepth: 32, maxModels: 100 };
const done = (extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ response: 'hi', done: false })}\n${JSON.stringify({ done: true, eval_count: 3, eval_duration: 1e6, ...extra })}\n`;

let server: Server;
let base: string;
/** Requests that reached the place a redirect pointed at. */
let followed = 0;

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const mode = (req.url ?? '').split('/')[1];
  const reply = (status: number, text: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, headers);
    res.end(text);
  };
  switch (mode) {
    case 'huge': {
      // 2 MB of valid chunks
      res.writeHead(200);
      const line = `${JSON.stringify({ response: 'x'.repeat(1000), done: false })}\n`;
      for (let i = 0; i < 2000; i++) res.write(line);
      res.end(done());
      return;
    }
    case 'endless-line':
      return reply(200, 'y'.repeat(1024 * 1024));
    case 'deep':
      return reply(200, `${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    case 'redirect':
      return reply(307, '', { location: 'http://user:hunter2@127.0.0.1:9/steal' });
    case 'followed':
      followed++;
      return reply(200, done());
    case 'error-text':
      return reply(500, JSON.stringify({ error: `boom\u0000${'z'.repeat(100_000)}` }));
    case 'html-error':
      return reply(502, `<html>\u0007${'<p>gateway</p>'.repeat(10_000)}</html>`);
    case 'poison':
      return reply(200, done({ eval_count: 1e308, prompt_eval_count: 1.5, total_duration: -5e6, load_duration: 2 ** 80 }));
    case 'many-models': {
      const names = ['bad\nname', 'x'.repeat(300), 'quote"back\\slash{}=,', ...Array.from({ length: 300 }, (_, i) => `model-${i}`)];
      return reply(200, JSON.stringify({ models: names.map((name) => ({ name })) }));
    }
    case 'huge-tags':
      return reply(200, JSON.stringify({ models: [{ name: 'a', pad: 'p'.repeat(400_000) }] }));
    default:
      void body;
      return reply(404, '{"error":"no such mode"}');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const probe = (mode: string) =>
  new OllamaProvider({ url: `${base}/${mode}`, limits: LIMITS }).probe({ model: 'm', prompt: 'p', options: {}, timeoutMs: 10_000 });

describe('a hostile model server', () => {
  it('sending more than maxReplyBytes gets an error sample naming the bound', async () => {
    const result = await probe('huge');
    expect(result.status).toBe('error');
    expect(result.error).toContain(`larger than ${LIMITS.maxReplyBytes} bytes (modelServer.maxReplyBytes)`);
  });

  it('sending one endless line gets an error naming maxLineLength, not a core spinning on it', async () => {
    const result = await probe('endless-line');
    expect(result.error).toContain(`longer than ${LIMITS.maxLineLength} characters (modelServer.maxLineLength)`);
  });

  it('sending JSON nested 5 000 deep gets an error naming maxJsonDepth', async () => {
    const result = await probe('deep');
    expect(result.error).toContain(`deeper than ${LIMITS.maxJsonDepth} levels (modelServer.maxJsonDepth)`);
  });

  it('answering with a redirect is not followed; the error names the Location without its credentials', async () => {
    const result = await probe('redirect');
    expect(result.status).toBe('error');
    expect(result.error).toContain('HTTP 307 redirect to http://127.0.0.1:9/steal');
    expect(result.error).not.toContain('hunter2');
    expect(followed).toBe(0);
    const openai = await new OpenAiProvider({ url: `${base}/redirect`, limits: LIMITS }).probe({
      model: 'm',
      prompt: 'p',
      options: {},
      timeoutMs: 10_000,
    });
    expect(openai.error).toContain('HTTP 307 redirect');
    await expect(new OllamaProvider({ url: `${base}/redirect`, limits: LIMITS }).listModels()).rejects.toThrow(/HTTP 307 redirect/);
    await expect(new OllamaProvider({ url: `${base}/redirect`, limits: LIMITS }).residency()).rejects.toThrow(/HTTP 307 redirect/);
  });

  it('keeps only a short, printable excerpt of its error text', async () => {
    for (const mode of ['error-text', 'html-error']) {
      const result = await probe(mode);
      expect(result.status).toBe('error');
      expect(result.error!.length).toBeLessThan(`${base}/${mode}/api/generate: HTTP 500: `.length + 210);
      expect(result.error).not.toMatch(/[\u0000-\u001f]/);
    }
    expect((await probe('error-text')).error).toContain('HTTP 500: boom zzz');
  });

  it('sending counts and durations no column can hold: the sample keeps its latency, the bad fields become null with a note', async () => {
    const result = await probe('poison');
    expect(result.status).toBe('ok');
    const sample = sanitizeSample(sampleRow({ ...result, status: 'ok' }));
    expect(sample).toMatchObject({ evalCount: null, promptEvalCount: null, totalDurationMs: null, loadDurationMs: null, status: 'ok' });
    expect(sample.error).toMatch(/stored as null: .*eval_count 1e\+308 is out of range/);
    expect(sample.latencyMs).toBe(result.latencyMs);
  });

  it('listing more models than maxModels, or names the API could not filter by: those are left out and counted', async () => {
    const listed = await new OllamaProvider({ url: `${base}/many-models`, limits: LIMITS }).listModels();
    expect(listed).toHaveLength(303);
    const { models, refused, overLimit } = acceptableModels(listed, LIMITS);
    expect(models).toHaveLength(LIMITS.maxModels);
    expect(models).toContain('quote"back\\slash{}=,'); // printable: the API accepts it as a filter
    expect(refused).toHaveLength(2);
    expect(overLimit).toBe(303 - 2 - LIMITS.maxModels);
    await expect(new OllamaProvider({ url: `${base}/huge-tags`, limits: LIMITS }).listModels()).rejects.toThrow(/larger than 262144 bytes/);
    await expect(new OllamaProvider({ url: `${base}/huge-tags`, limits: LIMITS }).residency()).rejects.toThrow(/larger than 262144 bytes/);
  });

  it('has safe defaults', () => {
    expect(DEFAULT_REPLY_LIMITS.maxReplyBytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(configSchema.parse({ collector: 'c', targets: [{ url: base }] }).modelServer).toEqual(DEFAULT_REPLY_LIMITS);
  });
});

describe('secrets in configuration', () => {
  it('a target URL with user:password is refused with a clear message', () => {
    const result = configSchema.safeParse({ collector: 'c', targets: [{ url: 'http://admin:hunter2@10.0.0.5:11434' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/must not hold credentials \(user:password@\); use apiKey/);
  });

  it('password and sslpassword query parameters of DATABASE_URL are redacted', () => {
    const shown = redactDatabaseUrl('postgres://llm@db:5432/x?sslmode=require&password=hunter2&sslpassword=k3y');
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('k3y');
    expect(shown).toContain('sslmode=require');
    expect(redactDatabaseUrl('postgres://llm@[bad?PASSWORD=hunter2')).not.toContain('hunter2');
  });
});
