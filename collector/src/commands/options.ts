// Flags shared by the commands that run the collector.
import type { Command } from 'commander';
import type { ConfigFlags } from '../config/load.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addCollectorOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--interval <duration>', 'probe interval per series, e.g. 15s')
    .option('--timeout <duration>', 'give up on a probe after this long, e.g. 120s')
    .option('--host <host>', 'HTTP API address to listen on')
    .option('--port <port>', 'HTTP API port')
    .option('--target <url>', 'model server URL (repeatable); default OLLAMA_HOST or http://127.0.0.1:11434', collect)
    .option('--model <name>', 'model to probe (repeatable); default: every model the server lists', collect)
    .option('--database-url <url>', 'Postgres URL; default DATABASE_URL, else an embedded Postgres in ./.llmscope')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or trace');
}

export interface CollectorCliOptions {
  config?: string;
  interval?: string;
  timeout?: string;
  host?: string;
  port?: string;
  target?: string[];
  model?: string[];
  databaseUrl?: string;
  logLevel?: string;
}

export function configFlags(o: CollectorCliOptions): ConfigFlags {
  const flags: ConfigFlags = {};
  if (o.interval !== undefined) flags.interval = o.interval;
  if (o.timeout !== undefined) flags.timeout = o.timeout;
  if (o.host !== undefined) flags.host = o.host;
  if (o.port !== undefined) flags.port = o.port;
  if (o.target !== undefined) flags.targets = o.target;
  if (o.model !== undefined) flags.models = o.model;
  if (o.databaseUrl !== undefined) flags.databaseUrl = o.databaseUrl;
  if (o.logLevel !== undefined) flags.logLevel = o.logLevel;
  return flags;
}

/** Config errors are the user's to fix: one line on stderr and exit code 2, no stack. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof Error && error.name === 'ConfigError') {
    process.stderr.write(`llmscope: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
