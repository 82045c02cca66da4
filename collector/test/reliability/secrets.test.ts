// Promise: the API token and the database password never appear in the collector's output
// or in an HTTP reply, including on the error paths (wrong token, database down, wrong
// database password, unreachable database). The real CLI runs at debug level and everything
// it prints is captured and searched.
// (test/main/secrets.test.ts checks the logger's redaction paths and redactDatabaseUrl in-process.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { migrateTestDatabase } from '../helpers/database.js';
import { runCli, type CliProcess } from '../helpers/cliProcess.js';
import { freePort, startKillablePostgres, type KillablePostgres } from './killablePostgres.js';

const PASSWORD = 'Pg-Pass-5e1c0d';
const TOKEN = 'Api-Token-8b2f47d1';
const WRONG_PASSWORD = 'Wrong-Pass-77aa3';
const UNREACHABLE_PASSWORD = 'Gone-Pass-91bd2';
const SECRETS = [PASSWORD, TOKEN, WRONG_PASSWORD, UNREACHABLE_PASSWORD];

function withPassword(url: string, password: string, port?: number): string {
  const parsed = new URL(url);
  parsed.password = password;
  if (port !== undefined) parsed.port = String(port);
  return parsed.toString();
}

describe('secrets stay out of the log and the replies of the real collector', () => {
  let postgres: KillablePostgres;
  let sim: SimulatedOllama;
  let simUrl: string;
  beforeAll(async () => {
    postgres = await startKillablePostgres(PASSWORD);
    await migrateTestDatabase(postgres.url);
    sim = new SimulatedOllama({ models: [{ name: 'quiet', medianMs: 10 }] });
    simUrl = await sim.start();
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
    await postgres?.destroy();
  }, 60_000);

  it('through start, API errors, a database outage, a wrong password and an unreachable database', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmscope-secrets-'));
    const env = (databaseUrl: string): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      DATABASE_URL: databaseUrl,
      LLMSCOPE_API_TOKEN: TOKEN,
      OLLAMA_HOST: simUrl,
      LLMSCOPE_PORT: '0',
      LLMSCOPE_INTERVAL: '100ms',
      LLMSCOPE_LOG_LEVEL: 'debug',
    });
    const replies: string[] = [];
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, init);
      const body = await res.text();
      replies.push(`${res.status} ${JSON.stringify([...res.headers])} ${body}`);
      return res.status;
    };

    const collector = runCli(['start'], env(postgres.url), cwd);
    const others: CliProcess[] = [];
    let base = '';
    try {
      base = (await collector.waitForOutput(/llmscope collector ready on (http:\/\/[^ ]+)/))[1]!;
      expect(await call('/api/violations', { headers: { Authorization: `Bearer ${TOKEN}` } })).toBe(200);
      expect(await call('/api/baselines/reset', { method: 'POST', headers: { Authorization: 'Bearer not-the-token-at-all' } })).toBe(401);
      expect(await call('/api/baselines/reset', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}x` } })).toBe(401);
      expect(
        await call('/api/baselines/reset', {
          method: 'POST',
          headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
          body: '{"model": "quiet"}',
        }),
      ).toBe(200);
      expect(
        await call('/api/violations/1/ack', {
          method: 'POST',
          headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
          body: '{"note": ',
        }),
      ).toBe(400);

      // The database goes away under the running collector: writer, API and readiness all report it.
      await postgres.stop();
      await collector.waitForOutput(/cannot write to the database/);
      expect(await call('/readyz')).toBe(503);
      expect(await call('/api/series')).toBe(503);
      expect(await call('/api/violations/export?format=csv')).toBe(503);
      await postgres.start();
      await collector.waitForOutput(/database writes resumed/);

      // A wrong password and an unreachable server, at start-up and for `migrate`.
      const wrong = withPassword(postgres.url, WRONG_PASSWORD);
      const unreachable = withPassword(postgres.url, UNREACHABLE_PASSWORD, await freePort());
      const wrongStart = runCli(['start'], env(wrong), cwd);
      const goneStart = runCli(['start'], env(unreachable), cwd);
      others.push(wrongStart, goneStart);
      await wrongStart.waitForOutput(/does not answer \(password authentication failed/);
      await goneStart.waitForOutput(/does not answer \(connect ECONNREFUSED/);
      const wrongMigrate = runCli(['migrate'], env(wrong), cwd);
      const goneMigrate = runCli(['migrate'], env(unreachable), cwd);
      others.push(wrongMigrate, goneMigrate);
      expect(await wrongMigrate.exited).not.toBe(0);
      expect(await goneMigrate.exited).not.toBe(0);
      expect(wrongMigrate.output()).toMatch(/password authentication failed/);
    } finally {
      for (const p of others) p.child.kill('SIGKILL');
      collector.child.kill('SIGTERM');
      await collector.exited;
      await Promise.all(others.map((p) => p.exited));
    }

    const outputs = [collector, ...others].map((p) => p.output());
    // The run did log what happened (so the search below searched something).
    expect(outputs[0]).toMatch(/"level":20/);
    expect(outputs[0]).toContain('postgres://postgres:***@127.0.0.1');
    for (const secret of SECRETS) {
      for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
        outputs.forEach((text, i) => expect(text.includes(form), `${form} in the output of process ${i}`).toBe(false));
        replies.forEach((reply) => expect(reply.includes(form), `${form} in a reply: ${reply.slice(0, 200)}`).toBe(false));
      }
    }
  }, 240_000);
});
