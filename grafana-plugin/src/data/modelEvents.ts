import type { DataFrame } from '@grafana/data';
import { findField, rowCount, stringAt, timeAt } from './frameFields';

/** A model load, eviction or GPU/CPU split change from the collector's `model_events`. */
export interface ModelEvent {
  time: number;
  /** The tag's event name: `load`, `evict`, `split` … */
  kind: string;
  text: string;
}

const TAG_PREFIX = 'model-';

function tagsAt(raw: unknown): string[] {
  if (Array.isArray(raw)) {
    return raw.map(String);
  }
  // Grafana splits a SQL annotation's tags column on commas; a raw frame may not have.
  return typeof raw === 'string' ? raw.split(',').map((t) => t.trim()) : [];
}

/**
 * The dashboard's model-events annotation query (provisioning/dashboards/llmscope.json) tags
 * each row `model-<event>`; those annotations become vertical lines on the chart. Rule
 * annotations are read as violations instead (data/violations.ts).
 */
export function readModelEvents(annotations: readonly DataFrame[] | undefined): ModelEvent[] {
  const out: ModelEvent[] = [];
  for (const frame of annotations ?? []) {
    const time = findField(frame, 'time');
    const text = findField(frame, 'text');
    const tags = findField(frame, 'tags');
    for (let row = 0; row < rowCount(frame); row++) {
      const tag = tagsAt(tags?.values[row]).find((t) => t.startsWith(TAG_PREFIX));
      const at = timeAt(time, row);
      if (tag && at !== null) {
        out.push({ time: at, kind: tag.slice(TAG_PREFIX.length), text: stringAt(text, row) ?? tag });
      }
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
