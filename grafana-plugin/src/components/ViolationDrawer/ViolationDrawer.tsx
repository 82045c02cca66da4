import React from 'react';
import { Drawer } from '@grafana/ui';
import { formatTime } from '../../calcs/telemetry';
import type { SampleTable } from '../../data/sampleTable';
import type { FlaggedPoint } from '../../types';
import { ContextTable } from './ContextTable';
import { MiniChart } from './MiniChart';
import { RulesBroken } from './RulesBroken';
import { TelemetrySection } from './TelemetrySection';
import { useEscapeCloses } from './useEscapeCloses';

interface Props {
  point: FlaggedPoint;
  table: SampleTable;
  onClose: () => void;
}

/** Everything known about one flagged point: why it was flagged and what the server did. */
export function ViolationDrawer({ point, table, onClose }: Props) {
  useEscapeCloses(onClose);
  const sample = table.at(point.sampleIndex);
  const rules = point.violations.map((v) => v.rule).join(', ');
  return (
    <Drawer
      title={`Violation ${rules}`}
      subtitle={`${formatTime(sample.time)} UTC${sample.model ? ` · ${sample.model}` : ''}`}
      size="md"
      onClose={onClose}
    >
      <div data-testid="spc-violation-drawer">
        <RulesBroken point={point} />
        <TelemetrySection sample={sample} />
        <ContextTable table={table} index={point.sampleIndex} />
        <MiniChart table={table} index={point.sampleIndex} />
      </div>
    </Drawer>
  );
}
