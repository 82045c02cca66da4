import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/** A client mistake that the API reports as `{ error, field? }` with the given status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** 400 naming the query parameter or body field that is wrong. */
export function badRequest(field: string, message: string): HttpError {
  return new HttpError(400, message, field);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, message);
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `no such endpoint: ${req.method} ${req.path}`));
};

/** body-parser marks its own errors with `type` and `status`; they are the client's fault. */
function bodyParserError(err: unknown): HttpError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (type === 'entity.parse.failed') return new HttpError(400, 'the request body is not valid JSON', 'body');
  if (type === 'entity.too.large') return new HttpError(413, 'the request body is too large', 'body');
  return new HttpError(status, `the request body was refused (${type})`, 'body');
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', '57P01', '57P02', '57P03']);

/**
 * The database being down or restarting is an outage, not a bug: 503, so clients and load
 * balancers retry, and one warning line rather than a stack per request.
 */
function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))) return true;
  return typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

/** 57014 query_canceled: our statement_timeout fired, or we cancelled it because the client left. */
const QUERY_CANCELED = '57014';

/**
 * The last handler: client errors keep their message; anything else is logged with its stack
 * and answered with a bare 500 so internals (SQL, paths) never reach the client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const clientError = err instanceof HttpError ? err : bodyParserError(err);
    if (clientError) {
      const body: { error: string; field?: string } = { error: clientError.message };
      if (clientError.field !== undefined) body.field = clientError.field;
      res.status(clientError.status).json(body);
      return;
    }
    const code = (err as { code?: unknown } | null)?.code;
    if ((code === QUERY_CANCELED || code === 'CLIENT_GONE') && (req.socket.destroyed || res.writableEnded)) {
      logger.debug({ method: req.method, path: req.path }, 'API query cancelled: the client closed the connection');
      return;
    }
    if (code === QUERY_CANCELED && !res.headersSent) {
      logger.warn({ method: req.method, path: req.path, reason: (err as Error).message }, 'API query cancelled by the statement timeout');
      res
        .status(503)
        .set('Retry-After', '5')
        .json({ error: 'the query ran longer than the API allows (http.statementTimeout); ask for a shorter time range or fewer points' });
      return;
    }
    if (isDatabaseUnavailable(err) && !res.headersSent) {
      logger.warn(
        { method: req.method, path: req.path, reason: (err as Error).message },
        'API request failed: the database is unavailable',
      );
      res.status(503).set('Retry-After', '5').json({ error: 'the database is unavailable; try again shortly' });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unexpected error while answering an API request');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(500).json({ error: 'internal error; see the collector log' });
  };
}
