// CPU and memory load from Linux's /proc (read asynchronously: a probe is being timed).
import { readFile } from 'node:fs/promises';

export interface CpuTimes {
  busy: number;
  total: number;
}

/** The aggregate "cpu" line of /proc/stat → busy and total jiffies (iowait counts as idle). */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((f) => !Number.isFinite(f))) return null;
  // user nice system idle iowait irq softirq steal (guest time is already inside user/nice)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const idleAll = idle + iowait;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idleAll };
}

/** Share of CPU time spent busy between two readings; null when too little time passed to tell. */
export function cpuRatioBetween(before: CpuTimes, after: CpuTimes, minJiffies = 1): number | null {
  const total = after.total - before.total;
  if (total < minJiffies) return null;
  return Math.min(1, Math.max(0, (after.busy - before.busy) / total));
}

/** (MemTotal − MemAvailable) / MemTotal from /proc/meminfo. */
export function parseMemInfo(text: string): number | null {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  };
  const total = field('MemTotal');
  const available = field('MemAvailable');
  if (!total || available === null) return null;
  return Math.min(1, Math.max(0, (total - available) / total));
}

export async function readCpuTimes(): Promise<CpuTimes | null> {
  try {
    return parseProcStat(await readFile('/proc/stat', 'utf8'));
  } catch {
    return null; // not Linux
  }
}

export async function readMemoryRatio(): Promise<number | null> {
  try {
    return parseMemInfo(await readFile('/proc/meminfo', 'utf8'));
  } catch {
    return null;
  }
}
