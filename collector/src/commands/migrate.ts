import type { Command } from 'commander';
import { runMigrations } from '../store/migrate.js';
import { redactDatabaseUrl } from '../store/pool.js';
import { openCommandDatabase } from './database.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('create or update the database schema (the collector also does this when it starts)')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--database-url <url>', 'Postgres URL; default DATABASE_URL, else the embedded Postgres in ./.llmscope')
    .action(async (options: { config?: string; databaseUrl?: string }) => {
      const { config, logger, databaseUrl, embedded } = await openCommandDatabase(options);
      try {
        const applied = await runMigrations({ databaseUrl, logger });
        const where = embedded ? `the embedded Postgres in ${config.database.embeddedDir}` : redactDatabaseUrl(databaseUrl);
        process.stdout.write(applied.length ? `applied ${applied.join(', ')} to ${where}\n` : `schema of ${where} is up to date\n`);
      } catch (error) {
        process.stderr.write(`llmscope migrate: ${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await embedded?.stop();
      }
    });
}
