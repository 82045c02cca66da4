// NVIDIA GPUs via nvidia-smi, spawned asynchronously (a synchronous exec would block the
// event loop and distort the latency being measured).
import { execFile } from 'node:child_process';
import type { GpuReading } from './types.js';

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw',
  '--format=csv,noheader,nounits',
];

const MIB = 1024 * 1024;

/** "[N/A]", "[Not Supported]", "N/A" and empty fields mean "not reported": null, never 0. */
function numberOrNull(field: string | undefined): number | null {
  if (field === undefined) return null;
  const text = field.trim();
  if (text === '' || /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions)\]?$/i.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** One line per GPU; lines that do not have the 7 queried fields are skipped. */
export function parseNvidiaSmi(output: string): GpuReading[] {
  const gpus: GpuReading[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 7) continue;
    // A GPU name may itself contain commas: the first field is the index, the last five are numbers.
    const index = numberOrNull(fields[0]);
    if (index === null) continue;
    const numbers = fields.slice(-5);
    const name = fields.slice(1, -5).join(', ');
    const [util, used, total, temp, power] = numbers.map(numberOrNull);
    gpus.push({
      index,
      name,
      utilizationRatio: util === null || util === undefined ? null : util / 100,
      memoryUsedBytes: used === null || used === undefined ? null : used * MIB,
      memoryTotalBytes: total === null || total === undefined ? null : total * MIB,
      temperatureCelsius: temp ?? null,
      powerWatts: power ?? null,
    });
  }
  return gpus;
}

export type NvidiaSmiResult = { kind: 'ok'; gpus: GpuReading[] } | { kind: 'absent' } | { kind: 'failed'; error: string };

export function queryNvidiaSmi(binary = 'nvidia-smi', timeoutMs = 5000): Promise<NvidiaSmiResult> {
  return new Promise((resolve) => {
    execFile(binary, NVIDIA_SMI_ARGS, { timeout: timeoutMs, windowsHide: true }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve(code === 'ENOENT' ? { kind: 'absent' } : { kind: 'failed', error: error.message.split('\n')[0] ?? String(error) });
        return;
      }
      resolve({ kind: 'ok', gpus: parseNvidiaSmi(stdout) });
    });
  });
}
