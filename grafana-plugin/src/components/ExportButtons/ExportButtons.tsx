import React from 'react';
import { Button, Stack } from '@grafana/ui';
import { toCsv } from '../../calcs/csv';
import type { ExportRow } from '../../calcs/exportRows';
import { browserDownload, type Download } from '../../export/download';
import { violationsPdf } from '../../export/pdf';

interface Props {
  /** How many violations an export would hold (the buttons are off at 0). */
  count: number;
  /** Built when a button is pressed, not on every render: a week holds thousands. */
  getRows: () => readonly ExportRow[];
  range: { from: number; to: number };
  download?: Download;
}

/** CSV and PDF of the violations the filter shows, with their telemetry (story 2.2, docs/architecture.md). */
export function ExportButtons({ count, getRows, range, download = browserDownload }: Props) {
  const stamp = new Date(range.to).toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const exportCsv = () =>
    download(`llmscope-violations-${stamp}.csv`, new Blob([toCsv(getRows())], { type: 'text/csv;charset=utf-8' }));
  const exportPdf = () => {
    const doc = violationsPdf(getRows(), {
      title: 'LLMscope SPC violations',
      generatedAt: new Date(),
      rangeFrom: new Date(range.from),
      rangeTo: new Date(range.to),
    });
    download(`llmscope-violations-${stamp}.pdf`, doc.output('blob'));
  };
  return (
    <Stack gap={1}>
      <Button size="sm" variant="secondary" icon="file-alt" onClick={exportCsv} disabled={count === 0}>
        CSV
      </Button>
      <Button size="sm" variant="secondary" icon="file-blank" onClick={exportPdf} disabled={count === 0}>
        PDF
      </Button>
    </Stack>
  );
}
