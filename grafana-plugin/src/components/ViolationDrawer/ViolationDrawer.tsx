import React from 'react';
import { Drawer } from '@grafana/ui';
import { formatTime } from '../../calcs/telemetry';
import type { FlaggedPoint, Sample } from '../../types';
import { ContextTable } from './ContextTable';
import { MiniChart } from './MiniChart';
import { RulesBroken } from './RulesBroken';
import { TelemetrySection } from './TelemetrySection';

interface Props {
  point: FlaggedPoint;
  samples: readonly Sample[];
  onClose: () => void;
}

/** Everything known about one flagged point: why it was flagged and what the server did. */
export function ViolationDrawer({ point, samples, onClose }: Props) {
  const sample = samples[point.sampleIndex];
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
        <ContextTable samples={samples} index={point.sampleIndex} />
        <MiniChart samples={samples} index={point.sampleIndex} />
      </div>
    </Drawer>
  );
}
