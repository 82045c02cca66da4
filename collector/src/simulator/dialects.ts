// The three wire dialects the simulated server speaks: Ollama's /api/generate and /api/chat
// (NDJSON, phase timings in ns in the final chunk) and the OpenAI-compatible
// /v1/chat/completions (SSE, token counts only, usage only when asked). One encoder each, so
// server.ts times the reply and injects faults without knowing the format.

/** Durations of one simulated request, in ms; they add up to `total`. */
export interface Plan {
  total: number;
  load: number;
  promptEval: number;
  eval: number;
  promptTokens: number;
  evalTokens: number;
}

/** What a reply is about: the request, its plan, and the final timings once generation ends. */
export interface Reply {
  model: string;
  index: number;
  body: Record<string, unknown>;
  plan: Plan;
  /** Tokens generated (0 for the no-tokens fault). */
  tokens: number;
  /** Ollama's final-chunk timings, measured when called. */
  timings(): Record<string, number>;
}

export interface WireDialect {
  /** Whether the request asked for a stream (each API has its own default). */
  streams(body: Record<string, unknown>): boolean;
  /** The request's token limit, if any. */
  maxTokens(body: Record<string, unknown>): unknown;
  streamHeaders: Record<string, string>;
  /** The whole reply of a non-streamed request. */
  whole(reply: Reply, text: string): unknown;
  /** One encoded chunk carrying `text`. */
  chunk(reply: Reply, text: string): string;
  /** The encoded end of the stream (final timings, usage, terminator). */
  end(reply: Reply): string;
  /** An encoded in-stream error. */
  error(message: string): string;
}

const ndjson = (value: unknown) => `${JSON.stringify(value)}\n`;
const sse = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const now = () => new Date().toISOString();

/** Ollama's native endpoints; they differ only in where the text goes. */
function ollama(content: (text: string) => Record<string, unknown>): WireDialect {
  return {
    streams: (body) => body.stream !== false,
    maxTokens: (body) => (body.options as Record<string, unknown> | undefined)?.num_predict,
    streamHeaders: { 'content-type': 'application/x-ndjson' },
    whole: (r, text) => ({ model: r.model, created_at: now(), ...content(text), done: true, done_reason: 'stop', ...r.timings() }),
    chunk: (r, text) => ndjson({ model: r.model, created_at: now(), ...content(text), done: false }),
    end: (r) => ndjson({ model: r.model, created_at: now(), ...content(''), done: true, done_reason: 'stop', ...r.timings() }),
    error: (message) => ndjson({ error: message }),
  };
}

const usage = (r: Reply) => ({
  prompt_tokens: r.plan.promptTokens,
  completion_tokens: r.tokens,
  total_tokens: r.plan.promptTokens + r.tokens,
});

const openAiChat: WireDialect = {
  streams: (body) => body.stream === true,
  maxTokens: (body) => body.max_tokens,
  streamHeaders: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  whole: (r, text) => ({
    id: `chatcmpl-${r.index}`,
    object: 'chat.completion',
    model: r.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: usage(r),
  }),
  chunk: (r, text) =>
    sse({
      id: `chatcmpl-${r.index}`,
      object: 'chat.completion.chunk',
      model: r.model,
      choices: [{ index: 0, delta: { role: 'assistant', content: text } }],
    }),
  end: (r) => {
    const id = `chatcmpl-${r.index}`;
    const stop = sse({ id, object: 'chat.completion.chunk', model: r.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    const wantsUsage = (r.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const counts = wantsUsage ? sse({ id, object: 'chat.completion.chunk', model: r.model, choices: [], usage: usage(r) }) : '';
    return `${stop}${counts}data: [DONE]\n\n`;
  },
  error: (message) => sse({ error: message }),
};

/** The dialect of each generation endpoint, by request path. */
export const DIALECTS: ReadonlyMap<string, WireDialect> = new Map([
  ['/api/generate', ollama((text) => ({ response: text }))],
  ['/api/chat', ollama((text) => ({ message: { role: 'assistant', content: text } }))],
  ['/v1/chat/completions', openAiChat],
]);
