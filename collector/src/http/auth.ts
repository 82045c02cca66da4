import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

const READ_ONLY_MESSAGE = 'the API is read-only: set LLMSCOPE_API_TOKEN to enable changes, then send it as "Authorization: Bearer <token>"';

/** Hashing first gives equal-length buffers, so the comparison time does not reveal the token's length or prefix. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Guards a mutating route: with no token configured every mutation is refused (403);
 * otherwise the request must carry `Authorization: Bearer <token>` (401 if absent or wrong).
 */
export function requireApiToken(apiToken: string | undefined): RequestHandler {
  const expected = apiToken ? digest(apiToken) : undefined;
  return (req, res, next) => {
    if (!expected) {
      next(new HttpError(403, READ_ONLY_MESSAGE));
      return;
    }
    const match = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="llmscope"');
      next(new HttpError(401, 'missing or wrong API token: send "Authorization: Bearer <LLMSCOPE_API_TOKEN>"'));
      return;
    }
    next();
  };
}
