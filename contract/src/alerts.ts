// Alert episodes raised by the collector's alert policy (docs/alerting.md): what paged, beside
// the chart's rule violations. The panel reads them to mark which signals became alerts.
import type { RowOf, TableSpec } from './columns.js';
import { SEVERITIES } from './values.js';

/** The detectors of the alert policy (spc/src/alerting). */
export const ALERT_DETECTORS = ['CUSUM', 'availability', 'outlier', 'cold-start'] as const;
export type AlertDetector = (typeof ALERT_DETECTORS)[number];
export const ALERT_DIRECTIONS = ['up', 'down'] as const;

export const ALERTS = {
  name: 'alerts',
  columns: {
    id: { type: 'bigint', nullable: false },
    uid: { type: 'uuid', nullable: false },
    target: { type: 'text', nullable: false },
    model: { type: 'text', nullable: false },
    probe: { type: 'text', nullable: false },
    detector: { type: 'text', nullable: false, values: ALERT_DETECTORS },
    severity: { type: 'text', nullable: false, values: SEVERITIES },
    direction: { type: 'text', nullable: true, values: ALERT_DIRECTIONS },
    effect: { type: 'double precision', nullable: false },
    started_at: { type: 'timestamp with time zone', nullable: false },
    last_seen_at: { type: 'timestamp with time zone', nullable: false },
    ended_at: { type: 'timestamp with time zone', nullable: true },
    probes: { type: 'integer', nullable: false },
    sample_uid: { type: 'uuid', nullable: false },
  },
} as const satisfies TableSpec;

export type AlertRecord<Time = Date> = RowOf<typeof ALERTS, Time>;
