// Samples the host's load: /proc on one fixed tick shared by every probe (a probe window
// reads no file of its own: at 1 000 probes/s two /proc reads per probe were a quarter of
// the collector's CPU), GPUs from a background poll (nvidia-smi is too slow to spawn per probe).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { readAmdGpus } from './amdSysfs.js';
import { queryNvidiaSmi } from './nvidiaSmi.js';
import { cpuRatioBetween, readCpuTimes, readMemoryRatio, type CpuTimes } from './proc.js';
import type { GpuReading, HostTelemetry, ProbeTelemetry } from './types.js';

/** Where the host's CPU times and memory share come from (Linux /proc unless a test gives its own). */
export interface ProcSource {
  cpuTimes(): Promise<CpuTimes | null>;
  memoryRatio(): Promise<number | null>;
}

export interface HostSamplerOptions {
  logger: Logger;
  /** Poll GPUs at all (config telemetry.gpu). */
  gpu: boolean;
  /** The /proc tick (default 1 s). */
  intervalMs?: number;
  gpuIntervalMs?: number;
  nvidiaSmi?: string;
  onReading?: (telemetry: HostTelemetry) => void;
  proc?: ProcSource;
  /** Monotonic ms (default performance.now). */
  clock?: () => number;
}

export interface ProbeWindow {
  end(): ProbeTelemetry;
}

interface CpuReading {
  at: number;
  times: CpuTimes;
}

const DEFAULT_INTERVAL_MS = 1000;
/** Readings kept: a probe window older than this many ticks falls back to the oldest kept. */
const KEPT_READINGS = 120;
/** The gap between the two readings start() takes, so the first probe already has a CPU share. */
const FIRST_SPAN_MS = 100;

const percent = (ratio: number | null) => (ratio === null ? null : ratio * 100);

const LINUX_PROC: ProcSource = { cpuTimes: readCpuTimes, memoryRatio: readMemoryRatio };

export function summariseGpus(gpus: readonly GpuReading[]): Pick<ProbeTelemetry, 'gpuPercent' | 'gpuMemoryPercent'> {
  const utils = gpus.map((g) => g.utilizationRatio).filter((u): u is number => u !== null);
  const withMemory = gpus.filter((g) => g.memoryUsedBytes !== null && g.memoryTotalBytes);
  const used = withMemory.reduce((s, g) => s + (g.memoryUsedBytes ?? 0), 0);
  const total = withMemory.reduce((s, g) => s + (g.memoryTotalBytes ?? 0), 0);
  return {
    // Mean over GPUs: a model split across two cards loads both.
    gpuPercent: utils.length > 0 ? (utils.reduce((s, u) => s + u, 0) / utils.length) * 100 : null,
    gpuMemoryPercent: total > 0 ? (used / total) * 100 : null,
  };
}

/**
 * The CPU share over a probe window [start, now] from the tick readings it spans: from the
 * last reading at or before its start to the newest one. A window inside one tick gets the
 * share of the newest whole tick (the nearest measured span). Readings are in time order.
 */
export function cpuRatioForWindow(readings: readonly CpuReading[], start: number): number | null {
  const newest = readings.at(-1);
  if (!newest) return null;
  let from = 0;
  for (let i = readings.length - 1; i >= 0; i--) {
    if (readings[i]!.at <= start) {
      from = i;
      break;
    }
  }
  if (from === readings.length - 1) from = readings.length - 2;
  if (from < 0) return null;
  return cpuRatioBetween(readings[from]!.times, newest.times);
}

export class HostSampler {
  private readonly options: HostSamplerOptions;
  private readonly proc: ProcSource;
  private readonly clock: () => number;
  private timers: NodeJS.Timeout[] = [];
  private readings: CpuReading[] = [];
  private cpuRatio: number | null = null;
  private memoryRatio: number | null = null;
  private gpus: GpuReading[] = [];
  private gpuSource: 'nvidia' | 'amd' | 'none' | 'unknown';

  constructor(options: HostSamplerOptions) {
    this.options = options;
    this.proc = options.proc ?? LINUX_PROC;
    this.clock = options.clock ?? (() => performance.now());
    this.gpuSource = options.gpu ? 'unknown' : 'none';
  }

  async start(): Promise<void> {
    await this.tick();
    await sleep(Math.min(FIRST_SPAN_MS, this.options.intervalMs ?? DEFAULT_INTERVAL_MS));
    await this.tick();
    await this.pollGpus();
    const every = (ms: number, fn: () => Promise<void>) => {
      const timer = setInterval(
        () => void fn().catch((error: unknown) => this.options.logger.warn({ err: error }, 'host telemetry read failed')),
        ms,
      );
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.intervalMs ?? DEFAULT_INTERVAL_MS, () => this.tick());
    if (this.gpuSource !== 'none') every(this.options.gpuIntervalMs ?? 2000, () => this.pollGpus());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  latest(): HostTelemetry {
    return { cpuRatio: this.cpuRatio, memoryRatio: this.memoryRatio, gpus: this.gpus };
  }

  /** Call just before a probe; `end()` just after it. Reads nothing: it uses the shared tick. */
  beginWindow(): ProbeWindow {
    const start = this.clock();
    return {
      end: () => ({
        cpuPercent: percent(cpuRatioForWindow(this.readings, start) ?? this.cpuRatio),
        memoryPercent: percent(this.memoryRatio),
        ...summariseGpus(this.gpus),
      }),
    };
  }

  private async tick(): Promise<void> {
    const [times, memory] = await Promise.all([this.proc.cpuTimes(), this.proc.memoryRatio()]);
    if (times) {
      const last = this.readings.at(-1);
      if (last) this.cpuRatio = cpuRatioBetween(last.times, times) ?? this.cpuRatio;
      this.readings.push({ at: this.clock(), times });
      if (this.readings.length > KEPT_READINGS) this.readings.splice(0, this.readings.length - KEPT_READINGS);
    }
    this.memoryRatio = memory ?? this.memoryRatio;
    this.options.onReading?.(this.latest());
  }

  private async pollGpus(): Promise<void> {
    if (this.gpuSource === 'none') return;
    if (this.gpuSource === 'unknown' || this.gpuSource === 'nvidia') {
      const result = await queryNvidiaSmi(this.options.nvidiaSmi);
      if (result.kind === 'ok') {
        if (this.gpuSource === 'unknown')
          this.options.logger.info(
            { gpus: result.gpus.map((g) => g.name) },
            `GPU telemetry from nvidia-smi (${result.gpus.length} GPU(s))`,
          );
        this.gpuSource = 'nvidia';
        this.gpus = result.gpus;
        return;
      }
      if (result.kind === 'failed') {
        this.options.logger.warn(`nvidia-smi failed: ${result.error}`);
        this.gpus = [];
        if (this.gpuSource === 'nvidia') return;
      }
    }
    const amd = await readAmdGpus();
    if (amd.length > 0) {
      if (this.gpuSource !== 'amd') this.options.logger.info(`GPU telemetry from amdgpu sysfs (${amd.length} GPU(s))`);
      this.gpuSource = 'amd';
      this.gpus = amd;
      return;
    }
    if (this.gpuSource === 'unknown') this.options.logger.info('no GPU found (no nvidia-smi, no amdgpu): GPU fields stay empty');
    this.gpuSource = 'none';
    this.gpus = [];
  }
}
