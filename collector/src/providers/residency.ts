// Model residency as Ollama's /api/ps reports it, and the load / evict / GPU-CPU split
// changes between two polls (stored as model_events, drawn as annotations).

export interface ResidentModel {
  model: string;
  sizeBytes: number;
  sizeVramBytes: number;
  /** size_vram / size: 1 = fully on the GPU, 0 = on the CPU. */
  gpuFraction: number;
  contextLength: number | null;
  expiresAt: string | null;
}

export type ResidencyEventKind = 'load' | 'evict' | 'split_change';

export interface ResidencyEvent extends ResidentModel {
  event: ResidencyEventKind;
  detail: string;
}

/** A change of the GPU share smaller than this is noise, not an event. */
const SPLIT_CHANGE = 0.01;

export function parsePs(body: unknown): ResidentModel[] {
  const models = (body as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) throw new Error('unexpected /api/ps reply (no "models" list)');
  return models.flatMap((entry: Record<string, unknown>) => {
    const model = typeof entry.name === 'string' ? entry.name : typeof entry.model === 'string' ? entry.model : null;
    if (model === null) return [];
    const sizeBytes = typeof entry.size === 'number' ? entry.size : 0;
    const sizeVramBytes = typeof entry.size_vram === 'number' ? entry.size_vram : 0;
    return [
      {
        model,
        sizeBytes,
        sizeVramBytes,
        gpuFraction: sizeBytes > 0 ? sizeVramBytes / sizeBytes : 0,
        contextLength: typeof entry.context_length === 'number' ? entry.context_length : null,
        expiresAt: typeof entry.expires_at === 'string' ? entry.expires_at : null,
      },
    ];
  });
}

const percent = (f: number) => `${Math.round(f * 100)}%`;

export function residencyChanges(before: ReadonlyMap<string, ResidentModel>, now: readonly ResidentModel[]): ResidencyEvent[] {
  const events: ResidencyEvent[] = [];
  const seen = new Set<string>();
  for (const current of now) {
    seen.add(current.model);
    const previous = before.get(current.model);
    if (!previous) events.push({ ...current, event: 'load', detail: `loaded, ${percent(current.gpuFraction)} on GPU` });
    else if (Math.abs(previous.gpuFraction - current.gpuFraction) > SPLIT_CHANGE) {
      events.push({
        ...current,
        event: 'split_change',
        detail: `GPU share ${percent(previous.gpuFraction)} → ${percent(current.gpuFraction)}`,
      });
    }
  }
  for (const [model, previous] of before) {
    if (!seen.has(model)) events.push({ ...previous, event: 'evict', detail: 'unloaded' });
  }
  return events;
}
