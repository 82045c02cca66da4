// Splits a streamed HTTP body into lines as they arrive (NDJSON and SSE are both line-based),
// within the reply and line bounds (providers/replyLimits.ts): a server that sends 100 MB, or
// one endless line, gets a probe error naming the bound, not a core spinning on a growing string.
import { ProbeFailure } from './failure.js';
import { DEFAULT_REPLY_LIMITS, type ReplyLimits } from './replyLimits.js';

export async function* readLines(body: ReadableStream<Uint8Array>, limits: ReplyLimits = DEFAULT_REPLY_LIMITS): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  let bytes = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limits.maxReplyBytes)
        throw new ProbeFailure(`the reply is larger than ${limits.maxReplyBytes} bytes (modelServer.maxReplyBytes)`);
      // Only the new text is searched for newlines: the buffered rest has none.
      const fresh = decoder.decode(value, { stream: true });
      const from = buffered.length;
      buffered += fresh;
      let newline = buffered.indexOf('\n', from);
      let start = 0;
      while (newline >= 0) {
        const line = buffered.slice(start, newline).replace(/\r$/, '');
        if (line.length > limits.maxLineLength) throw lineTooLong(limits);
        if (line.trim() !== '') yield line;
        start = newline + 1;
        newline = buffered.indexOf('\n', start);
      }
      buffered = buffered.slice(start);
      if (buffered.length > limits.maxLineLength) throw lineTooLong(limits);
    }
    buffered += decoder.decode();
    if (buffered.trim() !== '') yield buffered;
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}

function lineTooLong(limits: ReplyLimits): ProbeFailure {
  return new ProbeFailure(`a line of the reply stream is longer than ${limits.maxLineLength} characters (modelServer.maxLineLength)`);
}
