// Turns what fetch and stream reading throw into a probe result: a timeout when our own
// deadline fired, an error naming the cause otherwise.
import { emptyResult, type ProbeResult } from './types.js';

const MAX_ERROR_TEXT = 500;

export function clip(text: string, max = MAX_ERROR_TEXT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The message of an error and of its cause chain (undici hides ECONNREFUSED in `cause`). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as NodeJS.ErrnoException).code;
      parts.push(code && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
      current = (current as Error & { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return clip(parts.join(': '));
}

export function failedProbe(opts: {
  error: unknown;
  timedOut: boolean;
  timeoutMs: number;
  url: string;
  latencyMs: number;
  ttftMs: number | null;
}): ProbeResult {
  if (opts.timedOut) {
    return emptyResult('timeout', `no complete reply from ${opts.url} within ${opts.timeoutMs} ms`, opts.latencyMs, opts.ttftMs);
  }
  return emptyResult('error', `${opts.url}: ${describeError(opts.error)}`, opts.latencyMs, opts.ttftMs);
}

export class ProbeFailure extends Error {
  override name = 'ProbeFailure';
}
