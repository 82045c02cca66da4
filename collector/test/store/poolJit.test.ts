// The collector's pools switch Postgres JIT off: compiling the expressions of every day
// partition a chart query touches cost seconds (docs/performance.md).
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/store/pool.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';

describe('createPool', () => {
  const db = useMigratedDatabase();

  it('opens connections with jit off', async () => {
    const pool = createPool({ databaseUrl: db.url, logger: pino({ level: 'silent' }), max: 1 });
    try {
      expect((await pool.query('SHOW jit')).rows[0].jit).toBe('off');
    } finally {
      await pool.end();
    }
    expect((await db.check.query('SHOW jit')).rows[0].jit).toBe('on');
  });
});
