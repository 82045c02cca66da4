// OpenAI-compatible servers (vLLM, llama.cpp, LM Studio, Ollama's /v1): streamed
// /v1/chat/completions with usage. No phase timings exist there, so only latency, TTFT
// and token counts are recorded.
import { performance } from 'node:perf_hooks';
import { startDeadline } from './deadline.js';
import { failedProbe, ProbeFailure } from './failure.js';
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
  private readonly apiKey: string | undefined;
  private readonly limits: ReplyLimits;

  constructor(opts: { url: string; apiKey?: string; limits?: ReplyLimits }) {
    this.baseUrl = trimSlash(opts.url).replace(/\/v1$/, '');
    this.apiKey = opts.apiKey;
    this.limits = opts.limits ?? DEFAULT_REPLY_LIMITS;
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) };
  }

  async probe({ model, prompt, options, timeoutMs, signal }: ProbeRequest): Promise<ProbeResult> {
    const url = `${this.baseUrl}/v1/chat/completions`;
    const deadline = startDeadline(timeoutMs, signal);
    const started = performance.now();
    let ttftMs: number | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify({
          model,
          messages: [{ role: 'user', content: prompt }],
          stream: true,
          stream_options: { include_usage: true },
          ...chatCompletionOptions(options),
        }),
        signal: deadline.signal,
        redirect: 'manual',
      });
      const redirect = redirectRefusal(response, url);
      if (redirect) throw redirect;
      if (!response.ok || !response.body) {
        const text = await errorExcerpt(response);
        return emptyResult('error', `${url}: HTTP ${response.status}: ${text}`, performance.now() - started);
      }
      let text = '';
      let usage: ChatChunk['usage'] = null;
      for await (const line of readLines(response.body, this.limits)) {
        if (!line.startsWith('data:')) continue; // SSE comments, event names, keep-alives
        const data = line.slice(5).trim();
        if (data === '[DONE]') {
          const latencyMs = performance.now() - started;
          const evalCount = usage?.completion_tokens ?? null;
          if (!evalCount && text === '') return emptyResult('error', `${url}: the model returned no tokens`, latencyMs, ttftMs);
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
        if (typeof content === 'string' && content !== '') {
          ttftMs ??= performance.now() - started;
          text += content;
        }
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
    let response: Response;
    try {
      response = await fetch(url, { headers: this.headers(), signal: signal ?? AbortSignal.timeout(10_000), redirect: 'manual' });
    } catch (error) {
      throw new ProbeFailure(`no OpenAI-compatible server answers at ${this.baseUrl} (${(error as Error).message})`, { cause: error });
    }
    const redirect = redirectRefusal(response, url);
    if (redirect) throw redirect;
    if (!response.ok) throw new ProbeFailure(`${url}: HTTP ${response.status}: ${await errorExcerpt(response)}`);
    const body = (await readJsonReply(response, this.limits, url)) as { data?: Array<{ id?: unknown } | null> } | null;
    if (!body || !Array.isArray(body.data)) throw new ProbeFailure(`${url}: unexpected reply (no "data" list)`);
    return body.data.map((m) => m?.id).filter((id): id is string => typeof id === 'string');
  }
}
