// Splits a streamed HTTP body into lines as they arrive (NDJSON and SSE are both line-based),
// within the reply and line bounds (providers/replyLimits.ts): a server that sends 100 MB, or
// one endless line, gets a probe error naming the bound, not a core spinning on a growing string.
// The caller may stop early (at Ollama's done chunk, at SSE's [DONE]): the little that may
// follow is then read off before the probe ends, so the socket goes back to the keep-alive pool;
// a reply abandoned on an error is destroyed instead (its connection is closed).
import { ProbeFailure } from './failure.js';
import { DEFAULT_REPLY_LIMITS, type ReplyLimits } from './replyLimits.js';
import { discardBody, type ServerReply } from './serverConnection.js';

/** Bytes read off after the caller stopped before the socket is given up instead. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

export async function* readLines(body: ServerReply['body'], limits: ReplyLimits = DEFAULT_REPLY_LIMITS): AsyncGenerator<string> {
  // The body is read in flowing mode ('data' events) rather than through its async iterator:
  // at 1 000 probes/s the iterator's per-chunk promises and state were a fifth of the garbage
  // each probe left for the GC (docs/scaling.md, "Collector memory"). Lines wait in `ready`
  // until the caller takes them; the reply bound caps what can pile up there.
  const decoder = new TextDecoder();
  const ready: string[] = [];
  let buffered = '';
  let bytes = 0;
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const take = (fresh: string) => {
    // Only the new text is searched for newlines: the buffered rest has none.
    const from = buffered.length;
    buffered += fresh;
    let newline = buffered.indexOf('\n', from);
    let start = 0;
    while (newline >= 0) {
      const end = newline > start && buffered.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline; // CRLF
      const line = buffered.slice(start, end);
      if (line.length > limits.maxLineLength) throw lineTooLong(limits);
      if (line.trim() !== '') ready.push(line);
      start = newline + 1;
      newline = buffered.indexOf('\n', start);
    }
    buffered = buffered.slice(start);
    if (buffered.length > limits.maxLineLength) throw lineTooLong(limits);
  };
  const onData = (value: Buffer) => {
    try {
      bytes += value.byteLength;
      if (bytes > limits.maxReplyBytes)
        throw new ProbeFailure(`the reply is larger than ${limits.maxReplyBytes} bytes (modelServer.maxReplyBytes)`);
      take(decoder.decode(value, { stream: true }));
    } catch (error) {
      failure ??= error;
      body.pause();
    }
    notify();
  };
  const onEnd = () => {
    buffered += decoder.decode();
    if (buffered.trim() !== '') ready.push(buffered);
    ended = true;
    notify();
  };
  const onError = (error: unknown) => {
    failure ??= error;
    notify();
  };
  body.on('data', onData).on('end', onEnd).on('error', onError);
  try {
    for (;;) {
      const line = ready.shift();
      if (line !== undefined) yield line;
      else if (failure !== null) throw failure;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (error) {
    discardBody(body);
    throw error;
  } finally {
    body.off('data', onData).off('end', onEnd).off('error', onError);
    // Reached without an error when the caller stopped early (or the body ended).
    // Awaited, so the next probe of the target finds this socket free; the probe's deadline
    // (the request's signal) still bounds it. The latency was taken before.
    if (!body.readableEnded && !body.destroyed) await body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(() => undefined);
  }
}

function lineTooLong(limits: ReplyLimits): ProbeFailure {
  return new ProbeFailure(`a line of the reply stream is longer than ${limits.maxLineLength} characters (modelServer.maxLineLength)`);
}
