// The writer remembers the young day partitions it has seen made, so a batch of known days skips
// llmscope_ensure_partitions; a day is remembered only once its transaction committed, and a day
// old enough for retention to drop is never remembered.
import { describe, expect, it } from 'vitest';
import type { StoreItem } from '../../src/store/rows.js';
import { writeItems, type KnownPartitions } from '../../src/store/writeQueries.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { sampleRow } from '../helpers/rows.js';

const DAY_MS = 86_400_000;
const midnight = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const partition = (t: number) => `samples_${new Date(t).toISOString().slice(0, 10).replace(/-/g, '')}`;

describe('known partitions', () => {
  const db = useMigratedDatabase();

  it('are remembered after a commit only, and only while retention cannot drop them', async () => {
    const known: KnownPartitions = new Set();
    const client = await db.check.connect();
    const exists = async (t: number) => (await db.check.query('SELECT to_regclass($1) IS NOT NULL AS e', [partition(t)])).rows[0].e;
    try {
      const now = Date.now();
      await writeItems(client, [{ kind: 'sample', row: sampleRow({ ts: new Date(now).toISOString() }) }], known);
      expect([...known]).toEqual([midnight(now)]);

      // A batch that fails (a baseline the CHECK refuses) takes the partition it made along: not remembered.
      const later = now + 20 * DAY_MS;
      const failing: StoreItem[] = [
        { kind: 'sample', row: sampleRow({ ts: new Date(later).toISOString() }) },
        {
          kind: 'baseline',
          row: {
            target: 't',
            model: 'm',
            probe: 'p',
            transform: 'bogus' as 'log',
            sigmaMethod: 'mr',
            center: 1,
            sigma: 1,
            n: 30,
            computedAt: new Date(now).toISOString(),
          },
        },
      ];
      await expect(writeItems(client, failing, known)).rejects.toThrow();
      expect(known.has(midnight(later))).toBe(false);
      expect(await exists(later)).toBe(false);
      await writeItems(client, [failing[0]!], known);
      expect(await exists(later)).toBe(true);
      expect(known.has(midnight(later))).toBe(true);

      // Ten days ago: made, written, never remembered (retention may drop it at any pass).
      const old = now - 10 * DAY_MS;
      await writeItems(client, [{ kind: 'sample', row: sampleRow({ ts: new Date(old).toISOString() }) }], known);
      expect(known.has(midnight(old))).toBe(false);
      expect((await db.check.query('SELECT count(*)::int AS n FROM samples')).rows[0].n).toBe(3);

      // A remembered day is not looked up again: with its partition dropped behind the writer's back, the insert fails.
      await db.check.query(`DROP TABLE ${partition(later)}`);
      await expect(writeItems(client, [{ kind: 'sample', row: sampleRow({ ts: new Date(later).toISOString() }) }], known)).rejects.toThrow(
        /no partition/,
      );
      await writeItems(client, [{ kind: 'sample', row: sampleRow({ ts: new Date(later).toISOString() }) }]);
      expect(await exists(later)).toBe(true);
    } finally {
      client.release();
    }
  });
});
