// The set-up of the commands that only need the database (migrate, rollup): the config (a bad
// one exits with code 2 and one line), a logger, and the database URL, starting the embedded
// Postgres when no URL is configured.
import type { Logger } from 'pino';
import type { CollectorConfig } from '../config/schema.js';
import { loadConfig } from '../config/load.js';
import { createLogger } from '../logger.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../store/embeddedDatabase.js';
import { exitOnConfigError } from './options.js';

export interface DatabaseCommandOptions {
  config?: string;
  databaseUrl?: string;
}

export interface CommandDatabase {
  config: CollectorConfig;
  logger: Logger;
  databaseUrl: string;
  /** The embedded Postgres this command started; stop it when done. */
  embedded: EmbeddedDatabase | null;
}

export async function openCommandDatabase(options: DatabaseCommandOptions): Promise<CommandDatabase> {
  let config: CollectorConfig;
  try {
    config = loadConfig({
      ...(options.config ? { file: options.config } : {}),
      flags: options.databaseUrl ? { databaseUrl: options.databaseUrl } : {},
    });
  } catch (error) {
    exitOnConfigError(error);
  }
  const logger = createLogger({ level: config.logLevel });
  const embedded = config.database.url
    ? null
    : await startEmbeddedDatabase({ dir: config.database.embeddedDir, port: config.database.embeddedPort, logger });
  return { config, logger, databaseUrl: config.database.url ?? embedded!.url, embedded };
}
