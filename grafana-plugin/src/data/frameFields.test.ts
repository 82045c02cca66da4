import { FieldType, type Field } from '@grafana/data';
import { numberColumn, timeColumn } from './frameFields';
import { valueOrNull } from './sampleTable';

const field = (values: unknown[], type = FieldType.number): Field => ({ name: 'x', type, config: {}, values });

describe('numberColumn', () => {
  it('reads numbers and numeric strings (Postgres numerics); missing and non-finite cells become null', () => {
    const column = numberColumn(field([1.5, '2.25', null, undefined, '', 'abc', NaN, Infinity, 0]), 9);
    expect(Array.from(column ?? [], valueOrNull)).toEqual([1.5, 2.25, null, null, null, null, null, null, 0]);
  });

  it('is null for an absent column', () => {
    expect(numberColumn(undefined, 3)).toBeNull();
  });
});

describe('timeColumn', () => {
  it('reads epoch numbers, ISO strings and Dates; anything else is NaN', () => {
    const column = timeColumn(
      field([1000, '1970-01-01T00:00:02Z', new Date(3000), 'not a time', null], FieldType.time),
      5
    );
    expect(Array.from(column)).toEqual([1000, 2000, 3000, NaN, NaN]);
  });
});
