export interface GpuReading {
  index: number;
  name: string;
  /** 0–1; null when the driver does not report it. */
  utilizationRatio: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  temperatureCelsius: number | null;
  powerWatts: number | null;
}

/** One reading of the host, as ratios (0–1) for the metrics. */
export interface HostTelemetry {
  cpuRatio: number | null;
  memoryRatio: number | null;
  /** Empty without a GPU. */
  gpus: GpuReading[];
}

/** The host's load during one probe, as stored on the sample (percent; null = not measured). */
export interface ProbeTelemetry {
  cpuPercent: number | null;
  memoryPercent: number | null;
  gpuPercent: number | null;
  gpuMemoryPercent: number | null;
}
