import { createDataFrame, FieldType } from '@grafana/data';
import { readModelEvents } from './modelEvents';

describe('readModelEvents', () => {
  it('reads model-<event> annotations in time order, tags as arrays or comma strings, and skips rule annotations', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [3000, 1000, 2000, 4000] },
        { name: 'text', type: FieldType.string, values: ['llama3.2:1b evict', 'llama3.2:1b load (100% on GPU)', 'R1 violation', null] },
        { name: 'tags', type: FieldType.other, values: [['model-evict'], 'model-load', ['R1'], 'spc, model-split'] },
      ],
    });
    expect(readModelEvents([frame])).toEqual([
      { time: 1000, kind: 'load', text: 'llama3.2:1b load (100% on GPU)' },
      { time: 3000, kind: 'evict', text: 'llama3.2:1b evict' },
      { time: 4000, kind: 'split', text: 'model-split' },
    ]);
  });

  it('is empty without annotations', () => {
    expect(readModelEvents(undefined)).toEqual([]);
  });
});
