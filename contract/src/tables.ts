import { ALERTS } from './alerts.js';
import type { TableSpec } from './columns.js';
import { BASELINES, MODEL_EVENTS_TABLE, SERIES_STATES } from './otherTables.js';
import { SAMPLE_ROLLUP_QUEUE, SAMPLE_ROLLUPS_1H, SAMPLE_ROLLUPS_1M, SERIES, VIOLATION_ROLLUP_QUEUE } from './rollups.js';
import { SAMPLES } from './samples.js';
import { VIOLATIONS } from './violations.js';

/** Every table the migrations create; the schema test checks the database against each, both ways. */
export const TABLES: readonly TableSpec[] = [
  SAMPLES,
  VIOLATIONS,
  BASELINES,
  SERIES_STATES,
  MODEL_EVENTS_TABLE,
  SERIES,
  SAMPLE_ROLLUPS_1M,
  SAMPLE_ROLLUPS_1H,
  SAMPLE_ROLLUP_QUEUE,
  VIOLATION_ROLLUP_QUEUE,
  ALERTS,
];
