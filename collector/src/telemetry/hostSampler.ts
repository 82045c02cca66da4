// Samples the host's load: CPU across each probe's own window (from /proc/stat), memory
// at its end, GPUs from a background poll (nvidia-smi is too slow to spawn per probe).
import type { Logger } from 'pino';
import { readAmdGpus } from './amdSysfs.js';
import { queryNvidiaSmi } from './nvidiaSmi.js';
import { cpuRatioBetween, readCpuTimes, readMemoryRatio, type CpuTimes } from './proc.js';
import type { GpuReading, HostTelemetry, ProbeTelemetry } from './types.js';

export interface HostSamplerOptions {
  logger: Logger;
  /** Poll GPUs at all (config telemetry.gpu). */
  gpu: boolean;
  intervalMs?: number;
  gpuIntervalMs?: number;
  nvidiaSmi?: string;
  onReading?: (telemetry: HostTelemetry) => void;
}

export interface ProbeWindow {
  end(): Promise<ProbeTelemetry>;
}

/** Fewer jiffies than this between two reads is too coarse to be a CPU share. */
const MIN_WINDOW_JIFFIES = 4;

const percent = (ratio: number | null) => (ratio === null ? null : ratio * 100);

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

export class HostSampler {
  private readonly options: HostSamplerOptions;
  private timers: NodeJS.Timeout[] = [];
  private lastTimes: CpuTimes | null = null;
  private cpuRatio: number | null = null;
  private memoryRatio: number | null = null;
  private gpus: GpuReading[] = [];
  private gpuSource: 'nvidia' | 'amd' | 'none' | 'unknown';

  constructor(options: HostSamplerOptions) {
    this.options = options;
    this.gpuSource = options.gpu ? 'unknown' : 'none';
  }

  async start(): Promise<void> {
    await this.tick();
    await this.pollGpus();
    const every = (ms: number, fn: () => Promise<void>) => {
      const timer = setInterval(() => void fn().catch((error: unknown) => this.options.logger.warn({ err: error }, 'host telemetry read failed')), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.intervalMs ?? 1000, () => this.tick());
    if (this.gpuSource !== 'none') every(this.options.gpuIntervalMs ?? 2000, () => this.pollGpus());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  latest(): HostTelemetry {
    return { cpuRatio: this.cpuRatio, memoryRatio: this.memoryRatio, gpus: this.gpus };
  }

  /** Call just before a probe; `end()` just after it. */
  async beginWindow(): Promise<ProbeWindow> {
    const before = await readCpuTimes();
    return {
      end: async () => {
        const [after, memory] = await Promise.all([readCpuTimes(), readMemoryRatio()]);
        const windowRatio = before && after ? cpuRatioBetween(before, after, MIN_WINDOW_JIFFIES) : null;
        return {
          cpuPercent: percent(windowRatio ?? this.cpuRatio),
          memoryPercent: percent(memory ?? this.memoryRatio),
          ...summariseGpus(this.gpus),
        };
      },
    };
  }

  private async tick(): Promise<void> {
    const [times, memory] = await Promise.all([readCpuTimes(), readMemoryRatio()]);
    if (times && this.lastTimes) this.cpuRatio = cpuRatioBetween(this.lastTimes, times) ?? this.cpuRatio;
    this.lastTimes = times;
    this.memoryRatio = memory;
    this.options.onReading?.(this.latest());
  }

  private async pollGpus(): Promise<void> {
    if (this.gpuSource === 'none') return;
    if (this.gpuSource === 'unknown' || this.gpuSource === 'nvidia') {
      const result = await queryNvidiaSmi(this.options.nvidiaSmi);
      if (result.kind === 'ok') {
        if (this.gpuSource === 'unknown') this.options.logger.info({ gpus: result.gpus.map((g) => g.name) }, `GPU telemetry from nvidia-smi (${result.gpus.length} GPU(s))`);
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
