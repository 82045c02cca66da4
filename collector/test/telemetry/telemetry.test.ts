import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HostSampler } from '../../src/telemetry/hostSampler.js';
import { parseNvidiaSmi, queryNvidiaSmi } from '../../src/telemetry/nvidiaSmi.js';
import { cpuRatioBetween, parseMemInfo, parseProcStat } from '../../src/telemetry/proc.js';

const MIB = 1024 * 1024;

// Recorded outputs of:
// nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw --format=csv,noheader,nounits
const ONE_GPU = '0, NVIDIA GeForce RTX 4090, 87, 18234, 24564, 71, 386.42\n';
const TWO_GPUS = '0, NVIDIA H100 80GB HBM3, 100, 70412, 81559, 64, 612.33\n1, NVIDIA H100 80GB HBM3, 3, 1024, 81559, 33, 71.20\n';
const NOT_AVAILABLE = '0, NVIDIA GeForce GTX 1650, [N/A], 1534, 4096, 45, [N/A]\n';
const NOT_SUPPORTED = '0, Tesla T4, [Not Supported], [Not Supported], [Not Supported], [Not Supported], [Not Supported]\n';

describe('parseNvidiaSmi', () => {
  it('one GPU', () => {
    expect(parseNvidiaSmi(ONE_GPU)).toEqual([
      {
        index: 0,
        name: 'NVIDIA GeForce RTX 4090',
        utilizationRatio: 0.87,
        memoryUsedBytes: 18234 * MIB,
        memoryTotalBytes: 24564 * MIB,
        temperatureCelsius: 71,
        powerWatts: 386.42,
      },
    ]);
  });
  it('two GPUs', () => {
    const gpus = parseNvidiaSmi(TWO_GPUS);
    expect(gpus.map((g) => [g.index, g.utilizationRatio, g.powerWatts])).toEqual([
      [0, 1, 612.33],
      [1, 0.03, 71.2],
    ]);
  });
  it('[N/A] fields are null, not 0', () => {
    expect(parseNvidiaSmi(NOT_AVAILABLE)[0]).toMatchObject({ utilizationRatio: null, powerWatts: null, memoryUsedBytes: 1534 * MIB });
  });
  it('[Not Supported] fields are null', () => {
    expect(parseNvidiaSmi(NOT_SUPPORTED)[0]).toEqual({
      index: 0,
      name: 'Tesla T4',
      utilizationRatio: null,
      memoryUsedBytes: null,
      memoryTotalBytes: null,
      temperatureCelsius: null,
      powerWatts: null,
    });
  });
  it('skips error text and names with commas survive', () => {
    expect(parseNvidiaSmi('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\n')).toEqual([]);
    expect(parseNvidiaSmi('0, Quadro RTX 6000, Rev 2, 5, 100, 24576, 40, 50\n')[0]).toMatchObject({
      name: 'Quadro RTX 6000, Rev 2',
      utilizationRatio: 0.05,
    });
  });
});

describe('/proc parsers', () => {
  it('CPU share between two /proc/stat readings', () => {
    const a = parseProcStat('cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\n')!;
    const b = parseProcStat('cpu  250 0 150 900 100 0 0 0 0 0\n')!;
    expect(cpuRatioBetween(a, b)).toBeCloseTo(200 / 400, 12);
    expect(cpuRatioBetween(a, a)).toBeNull();
    expect(parseProcStat('garbage')).toBeNull();
  });
  it('memory share from /proc/meminfo', () => {
    expect(parseMemInfo('MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\n')).toBeCloseTo(0.75, 12);
    expect(parseMemInfo('MemTotal: 0 kB\n')).toBeNull();
  });
});

describe('HostSampler', () => {
  const logger = pino({ level: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'llmscope-smi-'));

  it('spawns nvidia-smi asynchronously and reports the GPUs during a probe window', async () => {
    const fake = join(dir, 'nvidia-smi');
    writeFileSync(fake, `#!/bin/sh\ncat <<'OUT'\n${TWO_GPUS}OUT\n`);
    chmodSync(fake, 0o755);
    expect(await queryNvidiaSmi(fake)).toMatchObject({ kind: 'ok', gpus: [{ index: 0 }, { index: 1 }] });
    const sampler = new HostSampler({ logger, gpu: true, nvidiaSmi: fake });
    await sampler.start();
    const t = sampler.beginWindow().end();
    sampler.stop();
    expect(t.gpuPercent).toBeCloseTo(51.5, 9);
    expect(t.gpuMemoryPercent).toBeCloseTo(((70412 + 1024) / (2 * 81559)) * 100, 9);
    // A window inside one tick gets the host's share over the newest tick (here the 100 ms
    // span start() measures), which an idle moment makes 0: measured, never null. The
    // window maths are tested with a fake /proc in hostSamplerTicks.test.ts.
    expect(t.cpuPercent).not.toBeNull();
    expect(t.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(t.cpuPercent).toBeLessThanOrEqual(100);
    expect(t.memoryPercent).toBeGreaterThan(0);
    expect(sampler.latest().gpus).toHaveLength(2);
  });

  it('without a GPU the GPU fields are null, not 0', async () => {
    expect(await queryNvidiaSmi(join(dir, 'missing-nvidia-smi'))).toEqual({ kind: 'absent' });
    const sampler = new HostSampler({ logger, gpu: true, nvidiaSmi: join(dir, 'missing-nvidia-smi') });
    await sampler.start();
    const t = sampler.beginWindow().end();
    sampler.stop();
    expect(t.gpuPercent).toBeNull();
    expect(t.gpuMemoryPercent).toBeNull();
    expect(sampler.latest().gpus).toEqual([]);
  });
});
