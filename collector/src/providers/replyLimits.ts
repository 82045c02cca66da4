// Bounds on everything a model server sends (docs/reliability.md, "Hostile model servers"): a
// reply's size, a line's length, JSON nesting, how many models it lists and what their names
// may be, and how much of its error text is kept. Each bound is a config setting with a safe
// default (modelServer.*); crossing one is a probe error that names the bound, never a crash,
// a stall or an unbounded allocation.
import { clip } from './failure.js';
import { ProbeFailure } from './failure.js';
import { labelProblem } from '../labels.js';
import { discardBody, statusText, type ServerReply } from './serverConnection.js';

type ReplyBody = ServerReply['body'];

export interface ReplyLimits {
  /** Bytes of one reply (a streamed probe, /api/tags, /v1/models). */
  maxReplyBytes: number;
  /** Characters of one line of a streamed reply (NDJSON or SSE). */
  maxLineLength: number;
  /** Nesting of arrays and objects in one JSON value. */
  maxJsonDepth: number;
  /** Models taken from one server's list; the rest are left out with a warning. */
  maxModels: number;
}

export const DEFAULT_REPLY_LIMITS: ReplyLimits = {
  maxReplyBytes: 4 * 1024 * 1024,
  maxLineLength: 256 * 1024,
  maxJsonDepth: 64,
  maxModels: 1000,
};

/** Characters of a model server's own error message kept in samples.error. */
export const ERROR_EXCERPT_CHARS = 200;
/** Bytes of an error reply read to find that message; the rest is not downloaded. */
const ERROR_BODY_BYTES = 8 * 1024;

/** Control characters (NUL included: Postgres text refuses it) and Unicode line/paragraph separators. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A short, printable excerpt of text that came from a model server. */
export function excerpt(text: string, max = ERROR_EXCERPT_CHARS): string {
  return clip(text.replace(CONTROL, ' '), max);
}

/**
 * Reads at most `maxBytes` of a body; `truncated` says whether there was more (then the rest is
 * not downloaded: the stream is destroyed, which also drops its connection from the pool).
 */
export async function readCapped(body: ReplyBody, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for await (const value of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      const room = maxBytes - bytes;
      if (value.byteLength > room) {
        text += decoder.decode(value.subarray(0, room));
        discardBody(body);
        return { text, truncated: true };
      }
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
    return { text: text + decoder.decode(), truncated: false };
  } catch (error) {
    discardBody(body);
    throw error;
  }
}

/** True when `text` nests arrays/objects deeper than `max` (strings are skipped). Linear, no recursion. */
export function jsonTooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** JSON.parse behind the depth bound; `what` names the text in the error. */
export function parseBoundedJson(text: string, limits: ReplyLimits, what: string): unknown {
  if (jsonTooDeep(text, limits.maxJsonDepth)) {
    throw new ProbeFailure(`${what} nests JSON deeper than ${limits.maxJsonDepth} levels (modelServer.maxJsonDepth)`);
  }
  return JSON.parse(text);
}

/** A whole (non-streamed) JSON reply, within the size and depth bounds. */
export async function readJsonReply(reply: ServerReply, limits: ReplyLimits, url: string): Promise<unknown> {
  const { text, truncated } = await readCapped(reply.body, limits.maxReplyBytes);
  if (truncated) throw new ProbeFailure(`${url}: the reply is larger than ${limits.maxReplyBytes} bytes (modelServer.maxReplyBytes)`);
  try {
    return parseBoundedJson(text, limits, `${url}: the reply`);
  } catch (error) {
    if (error instanceof ProbeFailure) throw error;
    return null;
  }
}

/**
 * The model server's own words from an error reply: the `error` field of a JSON body (Ollama,
 * OpenAI-style `{error: {message}}`), else the start of the text, as a short excerpt.
 */
export async function errorExcerpt(reply: ServerReply): Promise<string> {
  const { text } = await readCapped(reply.body, ERROR_BODY_BYTES).catch(() => ({ text: '' }));
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    const error = parsed.error;
    if (typeof error === 'string') return excerpt(error);
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
      return excerpt((error as { message: string }).message);
    }
  } catch {
    // Not JSON, or cut short at ERROR_BODY_BYTES: a leading "error": "…" string is still the server's words.
    const cut = /"(?:error|message)"\s*:\s*"((?:[^"\\]|\\.){0,400})/.exec(text);
    try {
      if (cut) return excerpt(JSON.parse(`"${cut[1]}"`) as string);
    } catch {
      // cut inside an escape: fall back to the raw text
    }
  }
  return excerpt(text) || statusText(reply.statusCode);
}

/**
 * Model servers are never followed across redirects (requests are made without
 * maxRedirections): a redirect could point the collector at any host and re-send the probe there.
 */
export function redirectRefusal(reply: ServerReply, url: string): ProbeFailure | null {
  if (reply.statusCode < 300 || reply.statusCode > 399) return null;
  discardBody(reply.body);
  const header = reply.headers.location;
  const location = Array.isArray(header) ? header[0] : header;
  const where = location ? ` to ${excerpt(stripCredentials(location), 200)}` : '';
  return new ProbeFailure(
    `${url}: HTTP ${reply.statusCode} redirect${where}; model servers are not followed across redirects (point the target at the final URL)`,
  );
}

/** http://user:pass@host/ → http://host/: a URL fit to log or store. */
export function stripCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
}

/**
 * The model names of a list reply that can be series labels: what the API accepts as a filter
 * (labels.ts), at most `maxModels`, without repeats. `skipped` counts the rest.
 */
export function acceptableModels(
  names: readonly string[],
  limits: ReplyLimits,
): { models: string[]; refused: string[]; overLimit: number } {
  const seen = new Set<string>();
  const models: string[] = [];
  const refused: string[] = [];
  let overLimit = 0;
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const problem = labelProblem(name);
    if (problem) refused.push(`${excerpt(name, 60)} (${problem})`);
    else if (models.length >= limits.maxModels) overLimit++;
    else models.push(name);
  }
  return { models, refused, overLimit };
}
