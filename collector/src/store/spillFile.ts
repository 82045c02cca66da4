// The overflow of the writer's queue: groups appended as NDJSON lines (oldest first) when
// the in-memory queue is full, read back in order once the database answers again.
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoreGroup } from './rows.js';

export class SpillFile {
  readonly path: string;
  /** Groups in the file (known after load()). */
  count = 0;

  constructor(path: string) {
    this.path = path;
  }

  async append(groups: readonly StoreGroup[]): Promise<void> {
    if (groups.length === 0) return;
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, groups.map((g) => `${JSON.stringify(g)}\n`).join(''));
    this.count += groups.length;
  }

  /** All groups in the file; lines a crash cut short are reported and skipped. */
  async load(): Promise<{ groups: StoreGroup[]; unreadable: number }> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.count = 0;
        return { groups: [], unreadable: 0 };
      }
      throw error;
    }
    const groups: StoreGroup[] = [];
    let unreadable = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        groups.push(JSON.parse(line) as StoreGroup);
      } catch {
        unreadable++;
      }
    }
    this.count = groups.length;
    return { groups, unreadable };
  }

  /** Keeps only `remaining` (written atomically: a crash leaves the old or the new file). */
  async replace(remaining: readonly StoreGroup[]): Promise<void> {
    if (remaining.length === 0) {
      await rm(this.path, { force: true });
      this.count = 0;
      return;
    }
    const temporary = `${this.path}.tmp`;
    await writeFile(temporary, remaining.map((g) => `${JSON.stringify(g)}\n`).join(''));
    await rename(temporary, this.path);
    this.count = remaining.length;
  }
}
