// One shared /proc tick for every probe: a probe window reads nothing itself and gets the
// CPU share over the ticks it spans.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { cpuRatioForWindow, HostSampler, type ProcSource } from '../../src/telemetry/hostSampler.js';

const reading = (at: number, busy: number, total: number) => ({ at, times: { busy, total } });

describe('cpuRatioForWindow', () => {
  const readings = [reading(0, 0, 100), reading(1000, 50, 200), reading(2000, 60, 300), reading(3000, 150, 400)];
  it('spans from the last reading at or before the window start to the newest reading', () => {
    expect(cpuRatioForWindow(readings, 1500)).toBeCloseTo((150 - 50) / (400 - 200), 12);
    expect(cpuRatioForWindow(readings, 1000)).toBeCloseTo((150 - 50) / (400 - 200), 12);
    expect(cpuRatioForWindow(readings, -5)).toBeCloseTo(150 / 300, 12);
  });
  it('a window inside the newest tick gets that whole tick', () => {
    expect(cpuRatioForWindow(readings, 3500)).toBeCloseTo((150 - 60) / 100, 12);
  });
  it('no share from fewer than two readings', () => {
    expect(cpuRatioForWindow([], 0)).toBeNull();
    expect(cpuRatioForWindow([reading(0, 1, 2)], 5)).toBeNull();
  });
});

describe('HostSampler on a shared tick', () => {
  it('probe windows read no /proc file; they get the share of the ticks they span', async () => {
    let now = 0;
    let reads = 0;
    const jiffies = { busy: 0, total: 0 };
    const proc: ProcSource = {
      cpuTimes: async () => {
        reads++;
        return { ...jiffies };
      },
      memoryRatio: async () => 0.25,
    };
    const sampler = new HostSampler({ logger: pino({ level: 'silent' }), gpu: false, intervalMs: 60_000, proc, clock: () => now });
    const advance = (ms: number, busy: number) => {
      now += ms;
      jiffies.busy += busy;
      jiffies.total += ms / 10;
    };
    await sampler.start(); // two readings, both at t = 0 with nothing between them
    sampler.stop(); // ticks are driven by hand below
    const readsAtStart = reads;
    const tick = (sampler as unknown as { tick(): Promise<void> }).tick.bind(sampler);

    advance(1000, 25); // 25% busy
    await tick();
    const windows = Array.from({ length: 1000 }, () => sampler.beginWindow());
    advance(1000, 75); // 75% busy
    await tick();
    const inside = sampler.beginWindow();
    for (const w of windows) expect(w.end()).toEqual({ cpuPercent: 75, memoryPercent: 25, gpuPercent: null, gpuMemoryPercent: null });
    expect(inside.end().cpuPercent).toBe(75);
    advance(1000, 0);
    await tick();
    // A window open across two ticks: (75 + 0) / 200 jiffies.
    expect(windows[0]!.end().cpuPercent).toBeCloseTo(37.5, 12);
    expect(reads - readsAtStart).toBe(3); // one per tick, none per window
  });
});
