import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { createLogger } from '../logger.js';
import { addCollectorOptions, configFlags, exitOnConfigError, type CollectorCliOptions } from './options.js';

export function registerStartCommand(program: Command): void {
  addCollectorOptions(program.command('start'))
    .description('probe the model servers, run SPC, store to Postgres and serve the API and /metrics')
    .action(async (options: CollectorCliOptions) => {
      let config;
      try {
        config = loadConfig({ ...(options.config ? { file: options.config } : {}), flags: configFlags(options) });
      } catch (error) {
        exitOnConfigError(error);
      }
      const logger = createLogger({ level: config.logLevel });
      try {
        // Loaded here, not at the top: every other command (and --help) starts without the
        // whole service (express, pg, pdfkit, prom-client) in memory.
        const { startCollector, stopOnSignals } = await import('../main.js');
        const collector = await startCollector({ config, logger });
        stopOnSignals(collector.stop, logger);
      } catch (error) {
        logger.fatal({ err: error }, `llmscope could not start: ${(error as Error).message}`);
        process.exit(1);
      }
    });
}
