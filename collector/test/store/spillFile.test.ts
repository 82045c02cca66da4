// The spill file is drained from the front a batch at a time without rereading or
// rewriting the whole file; where it got survives a crash; at stop it holds only what is left.
import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoreGroup } from '../../src/store/rows.js';
import { SpillFile } from '../../src/store/spillFile.js';

const group = (i: number): StoreGroup => [
  { kind: 'baseline-reset', row: { target: 't', model: `m${i}`, probe: 'p', at: new Date(i * 1000).toISOString() } },
];
const models = (groups: readonly StoreGroup[]) => groups.map((g) => (g[0]!.row as { model: string }).model);
/** The models of the file's readable lines (a line cut short by a crash stays in the file). */
const lines = async (path: string) =>
  models(
    (await readFile(path, 'utf8'))
      .split('\n')
      .filter((l) => l.startsWith('[') && l.endsWith(']'))
      .map((l) => JSON.parse(l) as StoreGroup),
  );

describe('SpillFile', () => {
  it('drains in batches while appends land at the end, resumes after a crash where it stopped, compacts at stop', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'llmscope-spill-')), 'spill.ndjson');
    const spill = new SpillFile(path);
    await spill.append(Array.from({ length: 10 }, (_, i) => group(i)));
    const first = await spill.head(4);
    expect(models(first.map((h) => h.group))).toEqual(['m0', 'm1', 'm2', 'm3']);
    await spill.append([group(10), group(11)]);
    await spill.drop(first[3]!.end, 4);
    expect(spill.count).toBe(8);
    expect(models((await spill.head(3)).map((h) => h.group))).toEqual(['m4', 'm5', 'm6']);

    // A crash now: the next process starts from the offset, not from the file's start.
    const restarted = new SpillFile(path);
    const { groups, unreadable } = await restarted.load();
    expect(models(groups)).toEqual(['m4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11']);
    expect(unreadable).toBe(0);

    // A line cut short by a crash is skipped, the rest is read.
    await appendFile(path, '[{"kind":"baseline-re\n');
    await restarted.append([group(12)]);
    const next = await restarted.head(100);
    expect(models(next.map((h) => h.group))).toEqual(['m4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12']);
    await restarted.drop(next[1]!.end, 2);
    await restarted.compact();
    expect(await lines(path)).toEqual(['m6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12']);
    expect(existsSync(`${path}.offset`)).toBe(false);
    // A write that lands after the stop's compaction leaves the file alone.
    await restarted.drop(next[4]!.end, 3);
    expect(await lines(path)).toEqual(['m6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12']);
  });

  it('is removed once drained', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'llmscope-spill-')), 'spill.ndjson');
    const spill = new SpillFile(path);
    await spill.append([group(0), group(1)]);
    const head = await spill.head(10);
    await spill.drop(head[1]!.end, 2);
    expect(spill.count).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.offset`)).toBe(false);
  });
});
