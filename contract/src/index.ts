// @llmscope/contract: what the collector, the panel and the tests agree on. No dependencies, no
// I/O: tables and their row types, closed vocabularies, the CSV columns, the ±N window rule.
// docs/architecture.md says where each kind of change goes.
export {
  columnNames,
  quoteIdentifier,
  selectList,
  type ColumnOf,
  type ColumnSpec,
  type RowOf,
  type SqlType,
  type TableSpec,
} from './columns.js';
export {
  isSeverity,
  mostSevere,
  severityRank,
  MODEL_EVENTS,
  PROBE_STATUSES,
  SAMPLE_STATUSES,
  SEVERITIES,
  SIGMA_METHODS,
  TRANSFORMS,
  type ModelEventKind,
  type ProbeStatus,
  type SampleStatus,
  type Severity,
} from './values.js';
export { SAMPLES, type SampleColumn, type SampleRecord } from './samples.js';
export { VIOLATIONS, VIOLATION_RECORD_COLUMNS, type ViolationColumn, type ViolationRecord } from './violations.js';
export { BASELINES, MODEL_EVENTS_TABLE, SERIES_STATES, type BaselineRecord, type ModelEventRecord } from './otherTables.js';
export {
  SAMPLE_ROLLUP_QUEUE,
  SAMPLE_ROLLUPS_1H,
  SAMPLE_ROLLUPS_1M,
  SERIES,
  VIOLATION_ROLLUP_QUEUE,
  type SampleRollupRecord,
  type SeriesRecord,
} from './rollups.js';
export { ALERTS, ALERT_DETECTORS, ALERT_DIRECTIONS, type AlertDetector, type AlertRecord } from './alerts.js';
export { TABLES } from './tables.js';
export {
  csvField,
  csvHeaderLine,
  csvLine,
  csvValues,
  CSV_COLUMNS,
  CSV_HEADER,
  CSV_LINE_END,
  CSV_SAMPLE_COLUMNS,
  CSV_VIOLATION_COLUMNS,
  type CsvSampleColumn,
  type CsvSource,
  type CsvViolationColumn,
} from './csv.js';
export { selectWindow, CONTEXT_POINTS, WINDOW_POINTS, type WindowSelection } from './window.js';
