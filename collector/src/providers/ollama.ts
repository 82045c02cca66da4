// Ollama over its streaming /api/generate on a keep-alive pool (serverConnection.ts), timed
// so that the latency we record is the wall-clock time of exactly one HTTP exchange.
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
import { parsePs, type ResidentModel } from './residency.js';
import { discardBody, ServerConnection, type ServerReply } from './serverConnection.js';
import { emptyResult, type ProbeRequest, type ProbeResult, type Provider } from './types.js';

/** A load_duration above this means the model was (re)loaded for the request, not merely looked up. */
export const COLD_START_LOAD_MS = 100;

const NS_PER_MS = 1e6;
const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

/** The fields of Ollama's final (`done: true`) chunk we use; Ollama omits the zero ones. */
interface OllamaFinalChunk {
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

const nsToMs = (ns: number | undefined): number => (typeof ns === 'number' && Number.isFinite(ns) ? ns / NS_PER_MS : 0);
const count = (n: number | undefined): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/** Final-chunk telemetry in ms; a missing field is 0 (Ollama leaves out zeros). */
export function finalChunkTelemetry(chunk: OllamaFinalChunk): Omit<ProbeResult, 'status' | 'error' | 'latencyMs' | 'ttftMs'> {
  const evalDurationMs = nsToMs(chunk.eval_duration);
  const evalCount = count(chunk.eval_count);
  const loadDurationMs = nsToMs(chunk.load_duration);
  return {
    totalDurationMs: nsToMs(chunk.total_duration),
    loadDurationMs,
    promptEvalCount: count(chunk.prompt_eval_count),
    promptEvalDurationMs: nsToMs(chunk.prompt_eval_duration),
    evalCount,
    evalDurationMs,
    tokensPerSecond: evalDurationMs > 0 ? evalCount / (evalDurationMs / 1000) : null,
    coldStart: loadDurationMs > COLD_START_LOAD_MS,
  };
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export class OllamaProvider implements Provider {
  readonly kind = 'ollama' as const;
  readonly baseUrl: string;

  private readonly limits: ReplyLimits;
  private readonly connection: ServerConnection;

  constructor(opts: { url: string; limits?: ReplyLimits }) {
    this.baseUrl = trimSlash(opts.url);
    this.limits = opts.limits ?? DEFAULT_REPLY_LIMITS;
    this.connection = new ServerConnection(this.baseUrl);
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  async probe({ model, prompt, options, timeoutMs, signal }: ProbeRequest): Promise<ProbeResult> {
    const url = `${this.baseUrl}/api/generate`;
    const deadline = startDeadline(timeoutMs, signal);
    const started = performance.now();
    let ttftMs: number | null = null;
    try {
      const reply = await this.connection.request({
        method: 'POST',
        path: '/api/generate',
        headers: JSON_HEADERS,
        body: JSON.stringify({ model, prompt, stream: true, options }),
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
      for await (const line of readLines(reply.body, this.limits)) {
        let chunk: Record<string, unknown>;
        try {
          chunk = parseBoundedJson(line, this.limits, 'a chunk of the reply stream') as Record<string, unknown>;
        } catch (error) {
          if (error instanceof ProbeFailure) throw error;
          throw new ProbeFailure(`malformed JSON in the reply stream: ${excerpt(line, 100)}`);
        }
        if (chunk === null || typeof chunk !== 'object')
          throw new ProbeFailure(`unexpected chunk in the reply stream: ${excerpt(line, 100)}`);
        if (typeof chunk.error === 'string') throw new ProbeFailure(`Ollama error: ${excerpt(chunk.error)}`);
        if (typeof chunk.response === 'string' && chunk.response !== '') ttftMs ??= performance.now() - started;
        if (chunk.done === true) {
          const latencyMs = performance.now() - started;
          const telemetry = finalChunkTelemetry(chunk as OllamaFinalChunk);
          if (telemetry.evalCount === 0 && ttftMs === null) {
            return { ...emptyResult('error', `${url}: the model returned no tokens`, latencyMs, ttftMs), ...telemetry };
          }
          return { status: 'ok', error: null, latencyMs, ttftMs, ...telemetry };
        }
      }
      throw new ProbeFailure('the reply stream ended before its final (done) chunk: truncated reply');
    } catch (error) {
      return failedProbe({ error, timedOut: deadline.expired, timeoutMs, url, latencyMs: performance.now() - started, ttftMs });
    } finally {
      deadline.dispose();
    }
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const url = `${this.baseUrl}/api/tags`;
    let reply: ServerReply;
    try {
      reply = await this.connection.request({ method: 'GET', path: '/api/tags', signal: signal ?? AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new ProbeFailure(`no Ollama answers at ${this.baseUrl} (${describeError(error)})`, { cause: error });
    }
    const redirect = redirectRefusal(reply, url);
    if (redirect) throw redirect;
    if (reply.statusCode < 200 || reply.statusCode > 299)
      throw new ProbeFailure(`${url}: HTTP ${reply.statusCode}: ${await errorExcerpt(reply)}`);
    const body = (await readJsonReply(reply, this.limits, url)) as { models?: Array<{ name?: unknown; model?: unknown } | null> } | null;
    if (!body || !Array.isArray(body.models)) throw new ProbeFailure(`${url}: unexpected reply (no "models" list)`);
    return body.models
      .map((m) => (typeof m?.name === 'string' ? m.name : typeof m?.model === 'string' ? m.model : null))
      .filter((name): name is string => name !== null);
  }

  async residency(signal?: AbortSignal): Promise<ResidentModel[]> {
    const url = `${this.baseUrl}/api/ps`;
    const reply = await this.connection.request({ method: 'GET', path: '/api/ps', signal: signal ?? AbortSignal.timeout(5000) });
    const redirect = redirectRefusal(reply, url);
    if (redirect) throw redirect;
    if (reply.statusCode < 200 || reply.statusCode > 299) {
      discardBody(reply.body);
      throw new Error(`${url}: HTTP ${reply.statusCode}`);
    }
    return parsePs(await readJsonReply(reply, this.limits, url));
  }
}
