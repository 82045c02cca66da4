// Applies the schema in the repository's migrations/ folder (the only place it is defined)
// with node-pg-migrate, under its advisory lock so concurrent collectors do not race.
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

/** collector/{src,dist}/store/ → <repo>/migrations */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

export interface RunMigrationsOptions {
  databaseUrl: string;
  logger: Logger;
}

/** Returns the names of the migrations it applied (empty when the schema was current). */
export async function runMigrations({ databaseUrl, logger }: RunMigrationsOptions): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    logger: {
      debug: (msg: string) => logger.debug(msg),
      info: (msg: string) => logger.debug(msg),
      warn: (msg: string) => logger.warn(msg),
      error: (msg: string) => logger.error(msg),
    },
  });
  const names = applied.map((m) => m.name);
  if (names.length > 0) logger.info({ migrations: names }, `applied ${names.length} database migration(s)`);
  return names;
}
