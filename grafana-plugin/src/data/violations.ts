import type { DataFrame, Field } from '@grafana/data';
import { CSV_VIOLATION_COLUMNS, VIOLATIONS, type CsvViolationColumn, type SqlType } from '@llmscope/contract';
import { ruleInfo } from '@llmscope/spc';
import type { Violation, ViolationCells, ViolationFieldNames, ViolationSource } from '../types';
import { VIOLATION_TIME_FALLBACK } from './fieldDefaults';
import { booleanAt, findField, numberAt, rowCount, stringAt, timeAt } from './frameFields';
import { asRuleId, asSeverity, ruleFromAnnotation } from './ruleIds';
import { createSampleLookup, type SampleLookup } from './sampleLookup';
import type { SampleTable } from './sampleTable';

/**
 * Reads violations from the violations query, or from annotations when no query frame
 * carries the rule column (or the source option says so). Rows with a rule this panel does
 * not know are skipped rather than drawn with a guessed meaning.
 */
export function readViolations(
  series: readonly DataFrame[],
  annotations: readonly DataFrame[] | undefined,
  names: ViolationFieldNames,
  source: ViolationSource,
  table: SampleTable
): Violation[] {
  const frame = source === 'annotations' ? undefined : series.find((f) => findField(f, names.rule) !== undefined);
  const lookup = createSampleLookup(table);
  if (frame) {
    return fromViolationFrame(frame, names, lookup);
  }
  if (source === 'query') {
    return [];
  }
  return (annotations ?? []).flatMap((a) => fromAnnotationFrame(a, lookup));
}

function fromViolationFrame(frame: DataFrame, names: ViolationFieldNames, lookup: SampleLookup): Violation[] {
  const f = {
    id: findField(frame, names.id),
    time: findField(frame, names.time) ?? findField(frame, VIOLATION_TIME_FALLBACK),
    rule: findField(frame, names.rule),
    severity: findField(frame, names.severity),
    latency: findField(frame, names.latency),
    deviation: findField(frame, names.deviation),
    sampleId: findField(frame, names.sampleId),
    note: findField(frame, names.note),
  };
  const readCells = cellReader(frame, names, f.time);
  const out: Violation[] = [];
  for (let row = 0; row < rowCount(frame); row++) {
    const rule = asRuleId(stringAt(f.rule, row));
    const time = timeAt(f.time, row);
    if (!rule || time === null) {
      continue;
    }
    // The cells are for the CSV export: read when it (or a test) first asks, not for every
    // violation of a week before the chart paints.
    let cells: ViolationCells | undefined;
    out.push({
      get cells() {
        cells ??= readCells(row);
        return cells;
      },
      key: `v${stringAt(f.id, row) ?? row}-${rule}`,
      time,
      rule,
      severity: asSeverity(stringAt(f.severity, row)) ?? ruleInfo(rule).severity,
      latencyMs: numberAt(f.latency, row),
      deviationSigma: numberAt(f.deviation, row),
      sampleIndex: lookup(numberAt(f.sampleId, row), time),
      text: stringAt(f.note, row),
    });
  }
  return out;
}

function fromAnnotationFrame(frame: DataFrame, lookup: SampleLookup): Violation[] {
  const f = {
    id: findField(frame, 'id'),
    time: findField(frame, 'time'),
    text: findField(frame, 'text'),
    tags: findField(frame, 'tags'),
    severity: findField(frame, 'severity'),
  };
  const out: Violation[] = [];
  for (let row = 0; row < rowCount(frame); row++) {
    const time = timeAt(f.time, row);
    const text = stringAt(f.text, row);
    const rawTags: unknown = f.tags?.values[row];
    const tags = Array.isArray(rawTags) ? rawTags.map(String) : [];
    const rule = ruleFromAnnotation(tags, text);
    if (!rule || time === null) {
      continue;
    }
    const tagSeverity = tags.map(asSeverity).find((s) => s !== null) ?? null;
    const severity = asSeverity(stringAt(f.severity, row)) ?? tagSeverity ?? ruleInfo(rule).severity;
    out.push({
      key: `a${stringAt(f.id, row) ?? row}-${rule}`,
      time,
      rule,
      severity,
      latencyMs: null,
      deviationSigma: null,
      sampleIndex: lookup(null, time),
      text,
      cells: { ...NO_CELLS, timestamp: time, rule, severity, note: text },
    });
  }
  return out;
}

/** The violations columns that have a panel option read through it; the rest by their own name. */
const OPTION_OF: Partial<Record<CsvViolationColumn, keyof ViolationFieldNames>> = {
  id: 'id',
  rule: 'rule',
  severity: 'severity',
  latency_ms: 'latency',
  deviation_sigma: 'deviation',
  sample_id: 'sampleId',
  note: 'note',
};

/** A violation whose query returned none of the CSV columns (tests and annotations start from it). */
export const NO_CELLS = Object.fromEntries(CSV_VIOLATION_COLUMNS.map((c) => [c, null])) as ViolationCells;

/**
 * Reads, per row, the violation columns the CSV export writes, each by its type in
 * @llmscope/contract; a column the query does not return stays null.
 */
function cellReader(
  frame: DataFrame,
  names: ViolationFieldNames,
  timeField: Field | undefined
): (row: number) => ViolationCells {
  const readers = CSV_VIOLATION_COLUMNS.map((column) => {
    const option = OPTION_OF[column];
    const field = column === 'timestamp' ? timeField : findField(frame, option ? names[option] : column);
    const read = readerFor(VIOLATIONS.columns[column].type);
    return [column, (row: number) => read(field, row)] as const;
  });
  // The cells hold what the query returned, converted by the contract's column type.
  return (row) => Object.fromEntries(readers.map(([column, read]) => [column, read(row)])) as ViolationCells;
}

function readerFor(type: SqlType): (field: Field | undefined, row: number) => string | number | boolean | null {
  switch (type) {
    case 'timestamp with time zone':
      return timeAt;
    case 'boolean':
      return booleanAt;
    case 'text':
    case 'uuid':
    case 'jsonb':
      return stringAt;
    default:
      return numberAt;
  }
}
