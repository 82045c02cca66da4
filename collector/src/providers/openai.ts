// OpenAI-compatible servers (vLLM, llama.cpp, LM Studio, Ollama's /v1): streamed
// /v1/chat/completions with usage. No phase timings exist there, so only latency, TTFT
// and token counts are recorded.
import { performance } from 'node:perf_hooks';
import { startDeadline } from './deadline.js';
import { describeError, failedProbe, ProbeFailure } from './failure.js';
import { readLines } from './lines.js';
import {
  DEFAULT_REPLY_LIMITS,
  errorExcerpt,
  excerpt,
  parseBoundedJson,
  readJsonReply,
  redirectRefusal,
  type ReplyLimits,
} from './replyLimits.js';
import { trimSlash } from './ollama.js';
import { ServerConnection, type ServerReply } from './serverConnection.js';
import { emptyResult, type ProbeRequest, type ProbeResult, type Provider } from './types.js';

/** Ollama-style option names → their chat-completions equivalents. */
const OPTION_NAMES: Record<string, string> = {
  num_predict: 'max_tokens',
  temperature: 'temperature',
  seed: 'seed',
  top_p: 'top_p',
  stop: 'stop',
};

export function chatCompletionOptions(
  options: Readonly<Record<string, number | string | boolean>>,
): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [key, value] of Object.entries(options)) out[OPTION_NAMES[key] ?? key] = value;
  return out;
}

interface ChatChunk {
  error?: { message?: string } | string;
  choices?: Array<{ delta?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

export class OpenAiProvider implements Provider {
  readonly kind = 'openai' as const;
  readonly baseUrl: string;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly limits: ReplyLimits;
  private readonly connection: ServerConnection;

  constructor(opts: { url: string; apiKey?: string; limits?: ReplyLimits }) {
    this.baseUrl = trimSlash(opts.url).replace(/\/v1$/, '');
    this.headers = { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) };
    this.limits = opts.limits ?? DEFAULT_REPLY_LIMITS;
    this.connection = new ServerConnection(this.baseUrl);
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  async probe({ model, prompt, options, timeoutMs, signal }: ProbeRequest): Promise<ProbeResult> {
    const url = `${this.baseUrl}/v1/chat/completions`;
    const deadline = startDeadline(timeoutMs, signal);
    const started = performance.now();
    let ttftMs: number | null = null;
    try {
      const reply = await this.connection.request({
        method: 'POST',
        path: '/v1/chat/completions',
        headers: this.headers,
        body: JSON.stringify({
          model,
          messages: [{ role: 'user', content: prompt }],
          stream: true,
          stream_options: { include_usage: true },
          ...chatCompletionOptions(options),
        }),
        signal: deadline.signal,
        timeoutMs,
      });
      const redirect = redirectRefusal(reply, url);
      if (redirect) throw redirect;
      if (reply.statusCode < 200 || reply.statusCode > 299) {
        const text = await errorExcerpt(reply);
        return emptyResult('error', `${url}: HTTP ${reply.statusCode}: ${text}`, performance.now() - started);
      }
      // Whether any text came is whether a first token was timed: the text itself is not kept.
      let usage: ChatChunk['usage'] = null;
      for await (const line of readLines(reply.body, this.limits)) {
        if (!line.startsWith('data:')) continue; // SSE comments, event names, keep-alives
        const data = line.slice(5).trim();
        if (data === '[DONE]') {
          const latencyMs = performance.now() - started;
          const evalCount = usage?.completion_tokens ?? null;
          if (!evalCount && ttftMs === null) return emptyResult('error', `${url}: the model returned no tokens`, latencyMs, ttftMs);
          return {
            ...emptyResult('ok', null, latencyMs, ttftMs),
            promptEvalCount: usage?.prompt_tokens ?? null,
            evalCount,
          };
        }
        let chunk: ChatChunk;
        try {
          chunk = parseBoundedJson(data, this.limits, 'an event of the reply stream') as ChatChunk;
        } catch (error) {
          if (error instanceof ProbeFailure) throw error;
          throw new ProbeFailure(`malformed JSON in the event stream: ${excerpt(data, 100)}`);
        }
        if (chunk === null || typeof chunk !== 'object')
          throw new ProbeFailure(`unexpected event in the reply stream: ${excerpt(data, 100)}`);
        if (chunk.error)
          throw new ProbeFailure(
            `server error: ${excerpt(typeof chunk.error === 'string' ? chunk.error : typeof chunk.error.message === 'string' ? chunk.error.message : 'an error without a message')}`,
          );
        const content = chunk.choices?.[0]?.delta?.content;
        if (typeof content === 'string' && content !== '') ttftMs ??= performance.now() - started;
        if (chunk.usage) usage = chunk.usage;
      }
      throw new ProbeFailure('the event stream ended before [DONE]: truncated reply');
    } catch (error) {
      return failedProbe({ error, timedOut: deadline.expired, timeoutMs, url, latencyMs: performance.now() - started, ttftMs });
    } finally {
      deadline.dispose();
    }
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const url = `${this.baseUrl}/v1/models`;
    let reply: ServerReply;
    try {
      reply = await this.connection.request({
        method: 'GET',
        path: '/v1/models',
        headers: this.headers,
        signal: signal ?? AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new ProbeFailure(`no OpenAI-compatible server answers at ${this.baseUrl} (${describeError(error)})`, { cause: error });
    }
    const redirect = redirectRefusal(reply, url);
    if (redirect) throw redirect;
    if (reply.statusCode < 200 || reply.statusCode > 299)
      throw new ProbeFailure(`${url}: HTTP ${reply.statusCode}: ${await errorExcerpt(reply)}`);
    const body = (await readJsonReply(reply, this.limits, url)) as { data?: Array<{ id?: unknown } | null> } | null;
    if (!body || !Array.isArray(body.data)) throw new ProbeFailure(`${url}: unexpected reply (no "data" list)`);
    return body.data.map((m) => m?.id).filter((id): id is string => typeof id === 'string');
  }
}
