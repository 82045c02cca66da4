// What a model-server provider measures for one probe, and what else a server can tell.
import type { ProbeStatus } from '@llmscope/contract';
import type { ResidentModel } from './residency.js';

export type { ProbeStatus };

export interface ProbeResult {
  status: ProbeStatus;
  /** Why the probe was not ok (the server's own words where it gave any). */
  error: string | null;
  /** Wall-clock time of the whole request, measured by us. */
  latencyMs: number;
  /** Time to the first chunk that carried text; null when none did. */
  ttftMs: number | null;
  /** The server's own phase timings (Ollama only; null where the provider has none). */
  totalDurationMs: number | null;
  loadDurationMs: number | null;
  promptEvalCount: number | null;
  promptEvalDurationMs: number | null;
  evalCount: number | null;
  evalDurationMs: number | null;
  /** eval_count / (eval_duration_ms / 1000); null without an eval duration. */
  tokensPerSecond: number | null;
  /** The model had to be loaded for this request (a real load_duration). */
  coldStart: boolean;
}

export interface ProbeRequest {
  model: string;
  prompt: string;
  options: Readonly<Record<string, number | string | boolean>>;
  timeoutMs: number;
  /** Aborts the probe on shutdown (recorded as an error, not a timeout). */
  signal?: AbortSignal;
}

export interface Provider {
  readonly kind: 'ollama' | 'openai';
  readonly baseUrl: string;
  /** Never throws: every failure becomes a result with status error/timeout. */
  probe(request: ProbeRequest): Promise<ProbeResult>;
  /** The models the server offers; throws (with a message naming the URL) when it does not answer. */
  listModels(signal?: AbortSignal): Promise<string[]>;
  /**
   * The models loaded right now and their GPU/CPU split, for servers that say (Ollama's /api/ps).
   * Absent where the server has no such endpoint: the pipeline then records no model events.
   */
  residency?(signal?: AbortSignal): Promise<ResidentModel[]>;
  /** Closes the provider's keep-alive connections (serverConnection.ts); probes in flight finish first. */
  close?(): Promise<void>;
}

/** How log lines name a kind of server. */
export const SERVER_NAMES: Readonly<Record<Provider['kind'], string>> = { ollama: 'Ollama', openai: 'OpenAI-compatible server' };

export function emptyResult(status: ProbeStatus, error: string | null, latencyMs: number, ttftMs: number | null = null): ProbeResult {
  return {
    status,
    error,
    latencyMs,
    ttftMs,
    totalDurationMs: null,
    loadDurationMs: null,
    promptEvalCount: null,
    promptEvalDurationMs: null,
    evalCount: null,
    evalDurationMs: null,
    tokensPerSecond: null,
    coldStart: false,
  };
}
