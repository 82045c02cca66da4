// AMD GPUs through the amdgpu driver's sysfs files, where present.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GpuReading } from './types.js';

async function readNumber(path: string): Promise<number | null> {
  try {
    const value = Number((await readFile(path, 'utf8')).trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

export async function readAmdGpus(drmDir = '/sys/class/drm'): Promise<GpuReading[]> {
  let entries: string[];
  try {
    entries = await readdir(drmDir);
  } catch {
    return [];
  }
  const cards = entries.filter((e) => /^card\d+$/.test(e)).sort();
  const gpus: GpuReading[] = [];
  for (const card of cards) {
    const device = join(drmDir, card, 'device');
    const busy = await readNumber(join(device, 'gpu_busy_percent'));
    if (busy === null) continue; // not an amdgpu device
    gpus.push({
      index: Number(card.slice(4)),
      name: `amdgpu ${card}`,
      utilizationRatio: busy / 100,
      memoryUsedBytes: await readNumber(join(device, 'mem_info_vram_used')),
      memoryTotalBytes: await readNumber(join(device, 'mem_info_vram_total')),
      temperatureCelsius: null,
      powerWatts: null,
    });
  }
  return gpus;
}
