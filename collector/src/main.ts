// The composition root: config → logger → database (yours or embedded) → migrations →
// store writer → metrics → host telemetry → pipeline → HTTP server, and the reverse on stop.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { CollectorConfig, TargetConfig } from './config/schema.js';
import { viewerHint } from './http/routes/viewer.js';
import { startHttpServer } from './http/server.js';
import { createCollectorMetrics } from './metrics/collectorMetrics.js';
import { YieldingRegistry } from './metrics/yieldingRegistry.js';
import { composeObservers, type PipelineObserver } from './pipeline/observer.js';
import { LoopLagWatch } from './pipeline/loopLagWatch.js';
import { Pipeline } from './pipeline/pipeline.js';
import type { Provider } from './providers/types.js';
import { tuneHeapGrowth } from './runtime/heapGrowth.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './store/embeddedDatabase.js';
import { runMigrations } from './store/migrate.js';
import { createPool, redactDatabaseUrl } from './store/pool.js';
import { cancelOnClientGone } from './store/requestCancel.js';
import { loadSeriesStates } from './store/seriesStateQueries.js';
import { MaintenanceJob } from './store/maintenanceJob.js';
import { StoreWriter } from './store/writer.js';
import { HostSampler } from './telemetry/hostSampler.js';

export interface RunningCollector {
  url: string;
  /** The writer's pool (the API has its own). */
  pool: pg.Pool;
  pipeline: Pipeline;
  writer: StoreWriter;
  registry: Registry;
  /** Stops probing, flushes the store (within 10 s), closes the pool. */
  stop(): Promise<void>;
}

export interface StartCollectorOptions {
  config: CollectorConfig;
  logger: Logger;
  createProvider?: (target: TargetConfig) => Provider;
  /** Told everything the metrics are told (the demo counts progress with one). */
  observers?: PipelineObserver[];
  /** Aborts the start while it waits for the database (the demo's --duration, Ctrl-C). */
  signal?: AbortSignal;
}

const DATABASE_RETRY_MS = 2000;
/** The writer holds one connection at a time; the spare ones serve start-up reads. */
const WRITER_CONNECTIONS = 3;
const API_CONNECTIONS = 8;
const STOP_FLUSH_MS = 10_000;

/** Waits for the database: a collector started before its Postgres should not give up. */
async function waitForDatabase(pool: pg.Pool, where: string, logger: Logger, signal?: AbortSignal): Promise<void> {
  let warned = false;
  for (;;) {
    // A demo's --duration or a Ctrl-C must end the wait: it used to retry forever.
    if (signal?.aborted) throw new Error(`gave up waiting for the database at ${where}: it never answered`);
    try {
      await pool.query('SELECT 1');
      if (warned) logger.info(`database at ${where} answers`);
      return;
    } catch (error) {
      if (!warned)
        logger.warn(`database at ${where} does not answer (${(error as Error).message}); retrying every ${DATABASE_RETRY_MS / 1000}s`);
      warned = true;
      await sleep(DATABASE_RETRY_MS, undefined, signal ? { signal } : {}).catch(() => undefined);
    }
  }
}

export async function startCollector({
  config,
  logger,
  createProvider,
  observers = [],
  signal,
}: StartCollectorOptions): Promise<RunningCollector> {
  tuneHeapGrowth();
  // What has been started so far, undone in reverse if a later step fails (a port in use,
  // a refused migration), so a failed start leaves no embedded Postgres or timers behind.
  const undo: Array<() => unknown> = [];
  try {
    let embedded: EmbeddedDatabase | null = null;
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      embedded = await startEmbeddedDatabase({ dir: config.database.embeddedDir, port: config.database.embeddedPort, logger });
      undo.push(() => embedded?.stop());
      databaseUrl = embedded.url;
    }
    const where = embedded ? `embedded Postgres in ${config.database.embeddedDir}` : redactDatabaseUrl(databaseUrl);
    // Two pools: API load (exports, wide chart queries) can never take the writer's connections.
    const pool = createPool({ databaseUrl, logger, max: WRITER_CONNECTIONS, applicationName: 'llmscope-writer' });
    undo.push(() => pool.end());
    const apiPool = cancelOnClientGone(
      createPool({
        databaseUrl,
        logger,
        max: API_CONNECTIONS,
        applicationName: 'llmscope-api',
        statementTimeoutMs: config.http.statementTimeout,
      }),
    );
    undo.push(() => apiPool.end());
    await waitForDatabase(pool, where, logger, signal);
    await runMigrations({ databaseUrl, logger });
    // Partitions for the coming days exist before the first write; old days go (docs/scaling.md).
    const maintenance = new MaintenanceJob(pool, { samplesMs: config.retention.samples, rollupsMs: config.retention.rollups }, logger);
    await maintenance.start();
    undo.push(() => maintenance.stop());

    // Gives the loop back during a scrape, and /metrics streams it (metrics/yieldingRegistry.ts).
    const registry = new YieldingRegistry();
    const observer = composeObservers([createCollectorMetrics(registry, config.metrics), ...observers]);
    const writer = new StoreWriter({
      pool,
      logger,
      queueSize: config.store.queueSize,
      spillFile: config.store.spillFile,
      batchSize: config.store.batchSize,
      flushIntervalMs: config.store.flushInterval,
      retryIntervalMs: config.store.retryInterval,
      rejectedMaxBytes: config.store.rejectedMaxBytes,
      onQueueDepth: (depth) => observer.storeQueueDepth(depth),
    });
    await writer.start();
    undo.push(() => writer.close(STOP_FLUSH_MS));
    if (writer.depth > 0) {
      // What a previous run spilled holds newer series states than the database: write it
      // before the states are read back, or SPC would resume from a stale point.
      await writer
        .flush(60_000)
        .catch((error: unknown) => logger.warn(`${(error as Error).message}; resuming SPC from the database as it is`));
    }
    const host = new HostSampler({ logger, gpu: config.telemetry.gpu, onReading: (t) => observer.hostTelemetry(t) });
    await host.start();
    undo.push(() => host.stop());
    const loopLag = new LoopLagWatch();
    loopLag.start();
    undo.push(() => loopLag.stop());
    const pipeline = new Pipeline({
      config,
      logger,
      observer,
      store: writer,
      host,
      loopLag,
      storedStates: await loadSeriesStates(pool),
      ...(createProvider ? { createProvider } : {}),
    });
    undo.push(() => pipeline.stop());
    await pipeline.start();
    const http = await startHttpServer({
      config,
      pool: apiPool,
      readiness: { pool, name: 'writer pool' },
      registry,
      logger,
      pipeline,
    });
    logger.info(`llmscope collector ready on ${http.url} (${pipeline.seriesCount} series, database ${where}); ${viewerHint(http.url)}`);

    let stopping: Promise<void> | null = null;
    const stop = () => {
      stopping ??= (async () => {
        logger.info('stopping: finishing probes in flight and flushing the store');
        // The whole stop, not just the flush, fits in STOP_FLUSH_MS (what a SIGTERM grace period allows).
        const deadline = Date.now() + STOP_FLUSH_MS;
        await pipeline.stop();
        host.stop();
        loopLag.stop();
        await http.close();
        await Promise.race([maintenance.stop(), sleep(1000)]);
        await writer.close(Math.max(1000, deadline - Date.now() - 1500));
        // A connection attempt to an unreachable server holds pool.end() for its timeout.
        await Promise.race([Promise.all([pool.end(), apiPool.end()]), sleep(1000)]);
        await embedded?.stop();
        logger.info('stopped');
      })();
      return stopping;
    };
    return { url: http.url, pool, pipeline, writer, registry, stop };
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch (cleanupError) {
        logger.warn({ err: cleanupError }, 'cleanup after a failed start failed');
      }
    }
    throw error;
  }
}

/** SIGTERM/SIGINT → a graceful stop; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(130);
    received = true;
    logger.info(`${signal} received`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal).on('SIGINT', onSignal);
}
