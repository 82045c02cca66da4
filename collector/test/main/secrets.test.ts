import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl } from '../../src/store/pool.js';
import { createLogger } from '../../src/logger.js';
import { Writable } from 'node:stream';

describe('secrets stay out of logs', () => {
  it('database URLs are shown without their password', () => {
    expect(redactDatabaseUrl('postgres://llm:hunter2@db.example:5432/llmscope')).toBe('postgres://llm:***@db.example:5432/llmscope');
    expect(redactDatabaseUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(redactDatabaseUrl('postgres://u:p%40ss@[bad')).not.toContain('p%40ss');
    // libpq also takes the password (and the client key's) as query parameters: the ready line printed them.
    expect(redactDatabaseUrl('postgres://llm@db.example/llmscope?password=hunter2&sslpassword=k3y&sslmode=require')).toBe(
      'postgres://llm@db.example/llmscope?password=***&sslpassword=***&sslmode=require',
    );
  });

  it('the process logger redacts tokens, keys and database URLs wherever they are logged', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination: sink });
    logger.info(
      { config: { http: { apiToken: 'tok-SECRET-1' }, database: { url: 'postgres://u:SECRET2@h/d' }, targets: [{ apiKey: 'SECRET3' }] } },
      'config',
    );
    logger.info({ headers: { authorization: 'Bearer SECRET4' }, apiToken: 'SECRET5', databaseUrl: 'postgres://u:SECRET6@h/d' }, 'request');
    const text = lines.join('');
    expect(text).not.toMatch(/SECRET/);
    expect(text).toContain('[redacted]');
  });
});
