import type { AddressInfo } from 'node:net';
import cors from 'cors';
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { YieldingRegistry } from '../metrics/yieldingRegistry.js';
import { createExportRunner } from '../export/exportRunner.js';
import { whileClientWaits } from '../store/requestCancel.js';
import type { ApiContext, BaselineResetter } from './apiContext.js';
import { loopbackHostCheck } from './hostCheck.js';
import { requireApiToken } from './auth.js';
import { errorHandler, HttpError, unknownRoute } from './errors.js';
import { alertRoutes } from './routes/alerts.js';
import { baselineRoutes } from './routes/baselines.js';
import { exportRoutes } from './routes/export.js';
import { healthRoutes } from './routes/health.js';
import { seriesRoutes } from './routes/series.js';
import { summaryRoutes } from './routes/summary.js';
import { violationRoutes } from './routes/violations.js';
import { viewerRoutes } from './routes/viewer.js';

/** The part of the collector's configuration the HTTP service reads. */
export interface HttpOptions {
  host: string;
  port: number;
  /** Bearer token that unlocks mutations; without one the API is read-only. */
  apiToken?: string | undefined;
  /** The one origin allowed to call the API from a browser; CORS is off without it. */
  corsOrigin?: string | undefined;
  /** Requests per minute per client address on /api; default 600. */
  rateLimitPerMinute?: number | undefined;
  /** CSV/PDF exports running at once (each in a worker thread); more get 429. Default 2. */
  maxConcurrentExports?: number | undefined;
}

export interface HttpDeps {
  config: { http: HttpOptions };
  pool: pg.Pool;
  /**
   * The pool /readyz checks the database through; the collector passes the writer's, so API
   * load that holds every connection of `pool` cannot make it report the database down
   * (docs/reliability.md). Without it, /readyz uses `pool`.
   */
  readiness?: { pool: pg.Pool; name: string } | undefined;
  registry: YieldingRegistry;
  logger: Logger;
  pipeline: BaselineResetter;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
const DEFAULT_MAX_CONCURRENT_EXPORTS = 2;
/** How long a stop waits for requests in progress before closing their connections. */
const CLOSE_GRACE_MS = 2000;
const JSON_BODY_LIMIT = '16kb';

export function createHttpApp(deps: HttpDeps): Express {
  const { http } = deps.config;
  const ctx: ApiContext = {
    pool: deps.pool,
    logger: deps.logger,
    pipeline: deps.pipeline,
    exports: createExportRunner({ pool: deps.pool, maxConcurrent: http.maxConcurrentExports ?? DEFAULT_MAX_CONCURRENT_EXPORTS }),
    requireToken: requireApiToken(http.apiToken),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Every database statement a request starts is cancelled if its client leaves (store/requestCancel.ts).
  app.use((_req, res, next) => {
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    whileClientWaits(gone.signal, next);
  });
  const hostCheck = loopbackHostCheck(http.host);
  if (hostCheck) app.use(hostCheck);
  app.use(helmet());
  if (http.corsOrigin) {
    app.use(cors({ origin: http.corsOrigin, allowedHeaders: ['Authorization', 'Content-Type'], maxAge: 600 }));
  }
  app.use(
    '/api',
    rateLimit({
      windowMs: 60_000,
      limit: http.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      // Clients are keyed by their socket address ('trust proxy' is off, so a forged
      // X-Forwarded-For changes nothing); the library's warning about that header would let
      // any client print a stack trace to stderr.
      validate: { xForwardedForHeader: false },
      handler: (_req, _res, next) => next(new HttpError(429, 'too many requests; slow down and retry after the RateLimit-Reset seconds')),
    }),
  );
  // Before the API-wide parser: the alert webhook parses its larger body itself.
  app.use(alertRoutes(ctx));
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(healthRoutes(deps.registry, deps.readiness ?? { pool: deps.pool, name: 'api pool' }));
  app.use(seriesRoutes(ctx));
  // Before the violation routes, or "/api/violations/export" would be read as a violation id.
  app.use(exportRoutes(ctx));
  app.use(violationRoutes(ctx));
  app.use(summaryRoutes(ctx));
  app.use(baselineRoutes(ctx));
  app.use(viewerRoutes());
  app.use(unknownRoute);
  app.use(errorHandler(deps.logger));
  return app;
}

export async function startHttpServer(deps: HttpDeps): Promise<RunningHttpServer> {
  const { host, port, corsOrigin } = deps.config.http;
  // Settings that expose the API further than intended are allowed, but said out loud.
  if (host === '0.0.0.0' || host === '::') {
    deps.logger.warn(
      `the HTTP API listens on every network interface (${host}): anyone who can reach this machine can read the violations and /metrics${deps.config.http.apiToken ? '' : ', and there is no API token'}; bind 127.0.0.1 unless that is what you want`,
    );
  }
  if (corsOrigin === '*') {
    deps.logger.warn(
      'CORS origin is "*": any web page a user opens can read this API from their browser; name the one origin (e.g. your Grafana URL) instead',
    );
  }
  const app = createHttpApp(deps);
  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err) =>
      reject(new Error(`cannot listen on ${host}:${port} (${err.message}); choose another --port or LLMSCOPE_PORT`)),
    );
  });
  const { port: boundPort } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${boundPort}`;
  deps.logger.info(
    { url, readOnly: !deps.config.http.apiToken, cors: deps.config.http.corsOrigin ?? false },
    `HTTP API and /metrics listening on ${url}`,
  );
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A slow download or a long query must not hold the stop past the store flush: without
        // this bound a SIGTERM waited for them and a supervisor's SIGKILL lost the queued samples.
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close((err) => {
          clearTimeout(cut);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
