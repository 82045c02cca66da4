// Promise (docs/reliability.md, "Crash and restart"): after a kill -9 of `llmscope start` on the
// default embedded Postgres, that Postgres is left running on its data dir; the next start
// stops it and becomes ready (it failed with "Cannot read properties of undefined"), and a start
// while another collector still owns the data dir fails with one line naming the dir and pid.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { expectBuiltCli, runCli, runCliToEnd, type CliProcess } from '../helpers/cliProcess.js';
import { freePort } from './killablePostgres.js';

/** Alive and not a zombie (an orphan's init may not reap it). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 300 && running(pid); i++) await sleep(100);
}

describe('restart after a kill -9 on the embedded Postgres', () => {
  let sim: SimulatedOllama;
  let simUrl: string;
  beforeAll(async () => {
    sim = new SimulatedOllama({ models: [{ name: 'orphan', medianMs: 10 }] });
    simUrl = await sim.start();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('stops the Postgres the killed collector left and becomes ready', async () => {
    expectBuiltCli();
    const dir = mkdtempSync(join(tmpdir(), 'llmscope-orphan-'));
    // The package runs Postgres as an unprivileged user, who must reach the data dir.
    chmodSync(dir, 0o755);
    const dataDir = join(dir, 'postgres');
    const configFile = join(dir, 'config.yaml');
    writeFileSync(
      configFile,
      `collector: orphan-test\ninterval: 200ms\ndatabase: { embeddedDir: ${JSON.stringify(dataDir)}, embeddedPort: ${await freePort()} }\n` +
        `store: { spillFile: ${JSON.stringify(join(dir, 'spill.ndjson'))} }\ntelemetry: { gpu: false }\n`,
    );
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: dir, OLLAMA_HOST: simUrl, LLMSCOPE_PORT: '0' };
    const postmasterPid = () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const collectors: CliProcess[] = [];
    const postgresPids = new Set<number>();
    const start = () => {
      const collector = runCli(['start', '--config', configFile], env, dir);
      collectors.push(collector);
      return collector;
    };
    try {
      const first = start();
      await first.waitForOutput(/llmscope collector ready on/, 120_000);
      const orphan = postmasterPid();
      postgresPids.add(orphan);
      first.child.kill('SIGKILL');
      await first.exited;
      // The situation of the bug: the collector is gone, its Postgres is not.
      expect(running(orphan)).toBe(true);

      const second = start();
      await second.waitForOutput(/llmscope collector ready on/, 120_000);
      expect(second.output()).toContain(`an embedded Postgres (pid ${orphan}) is still running on ${dataDir}`);
      expect(second.output()).not.toMatch(/Cannot read properties/);
      expect(running(orphan)).toBe(false);
      const own = postmasterPid();
      postgresPids.add(own);
      expect(own).not.toBe(orphan);

      // A Postgres whose collector is alive is not taken from it: one line names the dir and both pids.
      const third = await runCliToEnd(['start', '--config', configFile], { env, cwd: dir, timeoutMs: 60_000 });
      expect(third.code).not.toBe(0);
      expect(third.stdout + third.stderr).toContain(
        `the embedded Postgres in ${dataDir} (pid ${own}) belongs to another running collector (pid ${second.child.pid})`,
      );
      expect(running(own)).toBe(true);

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      await waitUntilGone(own);
      expect(running(own)).toBe(false);
    } finally {
      for (const collector of collectors) if (collector.child.exitCode === null) collector.child.kill('SIGKILL');
      await Promise.all(collectors.map((c) => c.exited));
      // Whatever Postgres this test started and left behind is stopped too.
      try {
        postgresPids.add(postmasterPid());
      } catch {
        // no postmaster.pid: no Postgres runs on the data dir
      }
      for (const pid of postgresPids) {
        if (running(pid)) process.kill(pid, 'SIGINT');
        await waitUntilGone(pid);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
