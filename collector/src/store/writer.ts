// The batched, ordered, never-dropping writer between the pipeline and Postgres.
// Groups queue in memory (bounded); while the database is down the writer keeps retrying,
// and when the queue is full the oldest groups spill to a local NDJSON file. Once the
// database answers, the spill file is written first, then the queue, so order holds.
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { StoreGroup, StoreItem } from './rows.js';
import { sanitizeGroups } from './sanitizeSample.js';
import { SpillFile } from './spillFile.js';
import { finishItems, stageItems, writeItems, type KnownPartitions } from './writeQueries.js';

export interface StoreWriterOptions {
  pool: pg.Pool;
  logger: Logger;
  queueSize: number;
  spillFile: string;
  batchSize: number;
  flushIntervalMs: number;
  retryIntervalMs: number;
  /** Bound of the rejected-items file; items refused beyond it are dropped (docs/reliability.md). Default 4 MiB. */
  rejectedMaxBytes?: number;
  onQueueDepth?: (depth: number) => void;
}

/** SQLSTATE classes that mean "this data is wrong", not "the database is away": retrying will not help. */
const DATA_ERROR = /^(22|23)/;
const REJECTED_MAX_BYTES = 4 * 1024 * 1024;

function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && DATA_ERROR.test(code);
}

export class StoreWriter {
  private readonly options: StoreWriterOptions;
  private readonly spill: SpillFile;
  private readonly rejected: SpillFile;
  private queue: StoreGroup[] = [];
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private outageSince: number | null = null;
  private lastError: string | null = null;
  private spilling: Promise<void> = Promise.resolve();
  /** Size of the rejected file, read from disk at the first rejection. */
  private rejectedBytes: number | null = null;
  private rejectedFullWarned = false;
  private readonly knownPartitions: KnownPartitions = new Set();

  constructor(options: StoreWriterOptions) {
    this.options = options;
    this.spill = new SpillFile(options.spillFile);
    this.rejected = new SpillFile(options.spillFile.replace(/(\.ndjson)?$/, '.rejected.ndjson'));
  }

  /** Groups waiting: in memory plus in the spill file. */
  get depth(): number {
    return this.queue.length + this.spill.count;
  }

  /** False while the last write failed (the database is down or refusing). */
  get healthy(): boolean {
    return this.outageSince === null;
  }

  get outage(): { since: Date; error: string } | null {
    return this.outageSince === null ? null : { since: new Date(this.outageSince), error: this.lastError ?? 'unknown' };
  }

  /** Picks up groups a previous run spilled, then writes continuously until close(). */
  async start(): Promise<void> {
    const { unreadable } = await this.spill.load();
    if (this.spill.count > 0)
      this.options.logger.info(`found ${this.spill.count} unwritten group(s) in ${this.spill.path}; writing them first`);
    if (unreadable > 0) this.options.logger.warn(`${unreadable} line(s) of ${this.spill.path} were cut short by a crash and are skipped`);
    this.running = true;
    this.loop = this.run();
  }

  enqueue(group: StoreGroup): void {
    this.queue.push(group);
    if (this.queue.length > this.options.queueSize) {
      // Spill the older half in one append rather than one line per new group.
      const oldest = this.queue.splice(0, Math.ceil(this.options.queueSize / 2));
      this.spilling = this.spilling
        .then(() => this.spill.append(oldest))
        .catch((error: unknown) => {
          // The disk refused too: keep them in memory rather than drop them.
          this.queue.unshift(...oldest);
          this.options.logger.error({ err: error }, `cannot write the spill file ${this.spill.path}`);
        });
      this.options.logger.warn(
        `store queue full (${this.options.queueSize}): spilled the ${oldest.length} oldest group(s) to ${this.spill.path}`,
      );
    }
    this.options.onQueueDepth?.(this.depth);
    if (this.queue.length >= this.options.batchSize) this.wake?.();
  }

  /** Resolves once everything queued so far is written (or throws after timeoutMs). */
  async flush(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.depth > 0) {
      if (Date.now() > until)
        throw new Error(`store flush timed out with ${this.depth} group(s) unwritten${this.lastError ? `: ${this.lastError}` : ''}`);
      this.wake?.();
      await sleep(20);
    }
  }

  /** Stops the loop after writing what it can within timeoutMs; whatever is left goes to the spill file. */
  async close(timeoutMs = 10_000): Promise<void> {
    try {
      await this.flush(Math.max(0, timeoutMs - 500));
    } catch (error) {
      this.options.logger.warn(`${(error as Error).message}; keeping them in ${this.spill.path} for the next start`);
    }
    this.running = false;
    this.wake?.();
    // A write stuck on an unreachable server (connect timeout) must not hold up the stop;
    // if it lands after all, its groups are in the spill file too; samples, violations and
    // series states are keyed, so writing them again next start changes nothing.
    await Promise.race([this.loop, sleep(1000)]);
    await this.spilling;
    if (this.queue.length > 0) {
      const left = this.queue;
      this.queue = [];
      await this.spill.append(left);
    }
    await this.spill.compact();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let wrote = false;
      try {
        wrote = await this.writeSome();
        if (this.outageSince !== null) {
          this.options.logger.info(
            `database writes resumed after ${Math.round((Date.now() - this.outageSince) / 1000)} s; backlog ${this.depth} group(s)`,
          );
          this.outageSince = null;
          this.lastError = null;
        }
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        if (this.outageSince === null) {
          this.outageSince = Date.now();
          this.options.logger.error(
            `cannot write to the database (${this.lastError}); queueing and retrying every ${this.options.retryIntervalMs} ms`,
          );
        }
        await this.pause(this.options.retryIntervalMs);
        continue;
      }
      this.options.onQueueDepth?.(this.depth);
      if (!wrote || this.queue.length < this.options.batchSize) await this.pause(this.options.flushIntervalMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** One batch from the spill file while it has groups (they are older), else the queue's batches. */
  private async writeSome(): Promise<boolean> {
    await this.spilling;
    if (this.spill.count > 0) {
      const head = await this.spill.head(this.options.batchSize);
      if (head.length > 0) {
        const batch = takeBatch(
          head.map((h) => h.group),
          this.options.batchSize,
        );
        await this.write(batch);
        // Appends land at the end only: the written front is the first batch.length groups.
        const end = head[batch.length - 1]!.end;
        this.spilling = this.spilling.then(() => this.spill.drop(end, batch.length));
        await this.spilling;
        return true;
      }
      this.spill.count = 0; // nothing readable is left (lines a crash cut short)
    }
    if (this.queue.length === 0) return false;
    await this.writeQueued();
    return true;
  }

  /** One batch on its own connection: staged, then moved into the tables and committed. */
  private async write(groups: StoreGroup[]): Promise<void> {
    await this.finish(await this.stage(groups));
  }

  /**
   * Writes the queue's batches in order while it holds more than one batch: the next batch is
   * COPYed into its staging table on a second connection while the current one's INSERT … SELECT
   * and COMMIT run, and touches the shared tables only after that COMMIT, so every write still
   * lands in queue order (docs/performance.md, ingest).
   */
  private async writeQueued(): Promise<void> {
    let current: StagedBatch | null = await this.stage(takeBatch(this.queue, this.options.batchSize));
    while (current) {
      const next = this.stageAhead(current.groups.length);
      try {
        await this.finish(current);
      } catch (error) {
        const ahead = await next;
        if (ahead) await this.discard(ahead);
        throw error;
      }
      this.dropWritten(current.groups);
      this.options.onQueueDepth?.(this.depth);
      current = await this.continueWith(next);
    }
  }

  /**
   * The queue may have overflowed during the write and spilled part of this batch to the file
   * (written again from there: the writes are keyed). Removes only the written groups still at
   * the front, by identity: a count would drop groups that were never written.
   */
  private dropWritten(batch: readonly StoreGroup[]): void {
    const written = new Set(batch);
    let front = 0;
    while (front < this.queue.length && written.has(this.queue[front]!)) front++;
    this.queue.splice(0, front);
  }

  /** The batch after the first `offset` queued groups, staged; null when there is no full one (or it could not be staged). */
  private stageAhead(offset: number): Promise<StagedBatch | null> {
    if (!this.running || this.spill.count > 0 || this.queue.length - offset < this.options.batchSize) return Promise.resolve(null);
    // A failure here is met again, and handled, when this batch is written in its turn.
    return this.stage(takeBatch(this.queue, this.options.batchSize, offset)).catch(() => null);
  }

  /**
   * The staged batch goes on only while it is still the queue's front and nothing older waits in
   * the spill file (the queue overflowed meanwhile); otherwise it is rolled back, to be written in turn.
   */
  private async continueWith(next: Promise<StagedBatch | null>): Promise<StagedBatch | null> {
    const batch = await next;
    if (!batch) return null;
    if (this.spill.count === 0 && batch.groups.every((group, i) => this.queue[i] === group)) return batch;
    await this.discard(batch);
    return null;
  }

  /** A connection with the groups' transaction open and their samples COPYed; a data error waits for finish(). */
  private async stage(groups: StoreGroup[]): Promise<StagedBatch> {
    const client = await this.options.pool.connect();
    // A checked-out client has no pool 'error' listener: a server shutdown arriving between two
    // statements would be an unhandled 'error' event and kill the process. Note it instead; the
    // statement in progress or the next one fails and the batch is retried.
    const batch: StagedBatch = {
      groups,
      // Values a column cannot hold become null with a note, so they cannot fail the batch.
      items: sanitizeGroups(groups).flat(),
      client,
      lost: undefined,
      refused: undefined,
      onError: (error: Error) => {
        batch.lost = error;
      },
    };
    client.on('error', batch.onError);
    try {
      await stageItems(client, batch.items);
    } catch (error) {
      if (!isDataError(error)) {
        release(batch, error as Error);
        throw error;
      }
      batch.refused = error;
    }
    return batch;
  }

  /** Moves a staged batch into the tables and commits; on a data error, isolates what the database refuses. */
  private async finish(batch: StagedBatch): Promise<void> {
    try {
      try {
        if (batch.refused !== undefined) throw batch.refused;
        await finishItems(batch.client, batch.items, this.knownPartitions);
      } catch (error) {
        if (!isDataError(error)) throw error;
        await this.isolateRejected(batch.client, batch.groups, error);
      }
    } finally {
      release(batch);
    }
  }

  /** Rolls a staged batch back and hands its connection back. */
  private async discard(batch: StagedBatch): Promise<void> {
    const failed = await batch.client.query('ROLLBACK').then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    release(batch, failed);
  }

  /**
   * A data error in a batch: write group by group, and inside a group the database refuses, item
   * by item in the group's order, so only the item it refuses is set aside (docs/reliability.md).
   */
  private async isolateRejected(client: pg.PoolClient, groups: readonly StoreGroup[], cause: unknown): Promise<void> {
    this.options.logger.warn(`the database refused a batch of ${groups.length} group(s) (${describe(cause)}); writing it item by item`);
    for (const group of groups) {
      const items = sanitizeGroups([group])[0]!;
      try {
        await writeItems(client, items, this.knownPartitions);
      } catch (error) {
        if (!isDataError(error)) throw error;
        for (const item of items) {
          try {
            await writeItems(client, [item], this.knownPartitions);
          } catch (itemError) {
            if (!isDataError(itemError)) throw itemError;
            await this.reject(item, itemError);
          }
        }
      }
    }
  }

  /** Keeps one refused item in the rejected file, within its bound, with one warning line (no stack). */
  private async reject(item: StoreItem, error: unknown): Promise<void> {
    const max = this.options.rejectedMaxBytes ?? REJECTED_MAX_BYTES;
    const line = Buffer.byteLength(JSON.stringify([item])) + 1;
    this.rejectedBytes ??= await stat(this.rejected.path).then(
      (s) => s.size,
      () => 0,
    );
    const what = `the database refused one ${item.kind} (${describe(error)})`;
    if (this.rejectedBytes + line > max) {
      if (!this.rejectedFullWarned)
        this.options.logger.warn(
          `${what}; ${this.rejected.path} has reached store.rejectedMaxBytes (${max}): this and later refused items are dropped`,
        );
      else this.options.logger.warn(`${what}; dropped (${this.rejected.path} is full)`);
      this.rejectedFullWarned = true;
      return;
    }
    await this.rejected.append([[item]]);
    this.rejectedBytes += line;
    this.options.logger.warn(`${what}; kept in ${this.rejected.path}`);
  }
}

/** A database error in one line: its SQLSTATE and message. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** Whole groups from `from` on, up to about `size` items (always at least one group). */
function takeBatch(groups: readonly StoreGroup[], size: number, from = 0): StoreGroup[] {
  const batch: StoreGroup[] = [];
  let items = 0;
  for (let i = from; i < groups.length; i++) {
    const group = groups[i]!;
    if (batch.length > 0 && items + group.length > size) break;
    batch.push(group);
    items += group.length;
  }
  return batch;
}

/** A batch on its own connection, its transaction open and its samples COPYed (StoreWriter.stage). */
interface StagedBatch {
  groups: StoreGroup[];
  items: StoreItem[];
  client: pg.PoolClient;
  /** Set when the connection breaks between statements (its 'error' event). */
  lost: Error | undefined;
  /** A data error the COPY met: the batch is isolated item by item at finish. */
  refused: unknown;
  onError: (error: Error) => void;
}

/** Hands the connection back; after an error the pool closes it instead of handing it out again. */
function release(batch: StagedBatch, error?: Error): void {
  batch.client.removeListener('error', batch.onError);
  batch.client.release(error ?? batch.lost);
}
