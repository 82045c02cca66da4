// The process logger: JSON lines (pino) with secrets redacted wherever they could appear.
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'apiToken',
  '*.apiToken',
  'http.apiToken',
  'config.http.apiToken',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'targets[*].apiKey',
  'config.targets[*].apiKey',
  'databaseUrl',
  '*.databaseUrl',
  'database.url',
  'config.database.url',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
];

export function createLogger(opts: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'llmscope-collector' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    opts.destination,
  );
}
