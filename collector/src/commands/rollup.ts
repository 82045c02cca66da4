import type { Command } from 'commander';
import pg from 'pg';
import { runMigrations } from '../store/migrate.js';
import { rebuildRollups } from '../store/rollupQueries.js';
import { openCommandDatabase } from './database.js';

interface RollupOptions {
  rebuild?: boolean;
  from?: string;
  to?: string;
  config?: string;
  databaseUrl?: string;
}

function parseTime(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new Error(`${flag}: not a date or time: ${JSON.stringify(value)} (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`);
  return time;
}

export function registerRollupCommand(program: Command): void {
  program
    .command('rollup')
    .description('maintain the per-minute and per-hour rollups of samples (docs/sql.md)')
    .option('--rebuild', 'recompute the rollups from the raw samples')
    .option('--from <time>', 'with --rebuild: start of the range (default: the oldest raw sample)')
    .option('--to <time>', 'with --rebuild: end of the range, exclusive (default: after the newest raw sample)')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--database-url <url>', 'Postgres URL; default DATABASE_URL, else the embedded Postgres in ./.llmscope')
    .action(async (options: RollupOptions) => {
      let range;
      try {
        if (!options.rebuild) throw new Error('nothing to do: give --rebuild');
        range = { from: parseTime('--from', options.from), to: parseTime('--to', options.to) };
      } catch (error) {
        process.stderr.write(`llmscope rollup: ${(error as Error).message}\n`);
        process.exit(2);
      }
      const { logger, databaseUrl, embedded } = await openCommandDatabase(options);
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      try {
        await runMigrations({ databaseUrl, logger });
        const result = await rebuildRollups(pool, range, (day, n) => logger.debug(`rebuilt ${day.toISOString()}: ${n} sample(s)`));
        process.stdout.write(
          result.days === 0
            ? 'no raw samples in the range: nothing rebuilt\n'
            : `rebuilt the rollups of ${result.samples} sample(s) from ${result.from!.toISOString()} to ${result.to!.toISOString()} (${result.days} day(s))\n`,
        );
      } catch (error) {
        process.stderr.write(`llmscope rollup: ${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await pool.end();
        await embedded?.stop();
      }
    });
}
