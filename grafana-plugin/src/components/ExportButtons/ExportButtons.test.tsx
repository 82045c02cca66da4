import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { toExportRows } from '../../calcs/exportRows';
import { DEFAULT_SAMPLE_FIELDS, DEFAULT_VIOLATION_FIELDS } from '../../data/fieldDefaults';
import { readSamples } from '../../data/samples';
import { readViolations } from '../../data/violations';
import { samplesFrame, sampleRows, SPIKE_INDEX, START, violationsFrame } from '../../test/fixtures';
import { ExportButtons } from './ExportButtons';

const hostileModel = '=cmd|" /C calc"!A0 <script>alert(1)</script>';

function exportRows() {
  const rows = sampleRows(120, hostileModel);
  const result = readSamples([samplesFrame(rows)], DEFAULT_SAMPLE_FIELDS);
  if (!result.ok) {
    throw new Error(result.message);
  }
  const violations = readViolations(
    [violationsFrame(undefined, rows)],
    undefined,
    DEFAULT_VIOLATION_FIELDS,
    'query',
    result.table
  );
  return toExportRows(violations, result.table);
}

function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

describe('ExportButtons', () => {
  const range = { from: START, to: START + 3_600_000 };

  it('exports the violations with their telemetry as CSV', async () => {
    const files: Array<[string, Blob]> = [];
    render(
      <ExportButtons
        count={exportRows().length}
        getRows={exportRows}
        range={range}
        download={(name, blob) => files.push([name, blob])}
      />
    );
    fireEvent.click(screen.getByRole('button', { name: /CSV/ }));
    expect(files).toHaveLength(1);
    const [name, blob] = files[0];
    expect(name).toBe('llmscope-violations-2026-11-27-13-00-00.csv');
    const lines = (await readBlob(blob)).trim().split('\r\n');
    expect(lines[0]).toMatch(
      /^timestamp,model,rule,latency_ms,deviation_sigma,mean,std_dev,ucl,lcl,cpu%,gpu%,tokens,duration_ms,/
    );
    expect(lines).toHaveLength(5);
    const spike = sampleRows()[SPIKE_INDEX];
    // Hostile model names are quoted and cannot run as a spreadsheet formula.
    expect(lines[1]).toContain(`"'=cmd|"" /C calc""!A0 <script>alert(1)</script>"`);
    expect(lines[1]).toContain(`,R1,${spike.latency_ms},7.6,800,`);
    // tokens and duration_ms are the answer's eval count and eval duration, as in the collector's export.
    expect(lines[1]).toContain(
      `,${spike.cpu_percent},${spike.gpu_percent},${spike.eval_count},${spike.eval_duration_ms},1,`
    );
  });

  it('exports the same rows as a PDF report', async () => {
    const files: Array<[string, Blob]> = [];
    render(
      <ExportButtons
        count={exportRows().length}
        getRows={exportRows}
        range={range}
        download={(name, blob) => files.push([name, blob])}
      />
    );
    fireEvent.click(screen.getByRole('button', { name: /PDF/ }));
    await waitFor(() => expect(files).toHaveLength(1));
    const [name, blob] = files[0];
    expect(name.endsWith('.pdf')).toBe(true);
    const pdf = await readBlob(blob);
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).toContain('(LLMscope SPC violations)');
    expect(pdf).toContain(' - 4 violation\\(s\\) - ');
    expect(pdf).toContain('(R1)');
    expect(pdf).toContain('(critical)');
    expect(pdf).toContain('(1450.3)');
  });

  it('is disabled when the filter leaves nothing to export', () => {
    render(<ExportButtons count={0} getRows={() => []} range={range} download={() => undefined} />);
    expect(screen.getByRole('button', { name: /CSV/ })).toBeDisabled();
    expect(screen.getByRole('button', { name: /PDF/ })).toBeDisabled();
  });
});
