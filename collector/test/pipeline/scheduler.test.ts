import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CadenceScheduler } from '../../src/pipeline/scheduler.js';

const logger = pino({ level: 'silent' });

describe('CadenceScheduler', () => {
  it('never overlaps itself, skips the slots a slow run overran, and survives a throwing task', async () => {
    let running = 0;
    let maxRunning = 0;
    const starts: number[] = [];
    let call = 0;
    const origin = performance.now();
    const scheduler = new CadenceScheduler({
      intervalMs: 100,
      offsetMs: 0,
      logger,
      task: async () => {
        call++;
        starts.push(performance.now() - origin);
        running++;
        maxRunning = Math.max(maxRunning, running);
        try {
          if (call === 2) await sleep(250); // overruns two slots
          if (call === 4) throw new Error('boom');
        } finally {
          running--;
        }
      },
    });
    scheduler.start();
    await sleep(1000);
    await scheduler.stop();
    expect(maxRunning).toBe(1);
    expect(call).toBeGreaterThanOrEqual(6); // kept going after the throw
    // After the slow second run (started ~100 ms, ended ~350 ms) the next run waits for the slot at ~400 ms.
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(250);
    const offGrid = starts[2]! % 100;
    expect(Math.min(offGrid, 100 - offGrid)).toBeLessThan(40); // back on the 100 ms grid, not shifted by the overrun
  });
});
