import { Option, type Command } from 'commander';
import { DEMO_SCENARIOS, type DemoScenario } from '../simulator/demoSchedule.js';
import { parseDuration } from '../config/duration.js';
import { createLogger } from '../logger.js';

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) {
    process.stderr.write(`llmscope demo: ${flag} "${text}" is not a duration (use e.g. 1s, 50ms, 90s)\n`);
    process.exit(2);
  }
  return ms;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the collector against a simulated Ollama with scheduled incidents and faults')
    .option('--interval <duration>', 'probe interval per series', '1s')
    .option('--duration <duration>', 'stop after this long ("0" runs until Ctrl-C)', '90s')
    .option('--port <port>', 'HTTP API port', '8080')
    .option('--host <host>', 'HTTP API address', '127.0.0.1')
    .option('--database-url <url>', 'Postgres URL; default DATABASE_URL, else the embedded Postgres in ./.llmscope')
    .option('--log-level <level>', 'collector log level (logs go to stderr)', 'warn')
    .addOption(
      new Option(
        '--scenario <name>',
        'cycle: repeating incidents and faults; calm: faults only (no alert should fire); slowdown: faults, then one model ×3 for good',
      )
        .choices([...DEMO_SCENARIOS])
        .default('cycle'),
    )
    .action(
      async (o: {
        interval: string;
        duration: string;
        port: string;
        host: string;
        databaseUrl?: string;
        logLevel: string;
        scenario: DemoScenario;
      }) => {
        const port = Number(o.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          process.stderr.write(`llmscope demo: --port "${o.port}" is not a port number\n`);
          process.exit(2);
        }
        const logger = createLogger({ level: o.logLevel, destination: process.stderr });
        const stopSignal = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        const databaseUrl = o.databaseUrl ?? process.env.DATABASE_URL;
        const { runDemo } = await import('../demo/runDemo.js'); // the whole service, only when it runs
        try {
          await runDemo({
            intervalMs: duration('--interval', o.interval),
            durationMs: o.duration === '0' ? null : duration('--duration', o.duration),
            port,
            host: o.host,
            ...(databaseUrl ? { databaseUrl } : {}),
            logger,
            print: (line) => process.stdout.write(`${line}\n`),
            stopSignal,
            scenario: o.scenario,
          });
          process.exit(0);
        } catch (error) {
          process.stderr.write(`llmscope demo failed: ${(error as Error).message}\n`);
          process.exit(1);
        }
      },
    );
}
