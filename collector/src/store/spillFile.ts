// The overflow of the writer's queue: groups appended as NDJSON lines (oldest first) when
// the in-memory queue is full, read back in order once the database answers again.
// The writer drains it from the front a batch at a time: it reads only that batch and
// remembers how far it got (in `<file>.offset`, so a crash does not write the front twice);
// the file is rewritten without its written front only at stop, or removed once drained.
// Reading and rewriting the whole file for every batch made draining a large backlog
// quadratic: at 1 000 probes/s the writer never caught up.
import { appendFile, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoreGroup } from './rows.js';

/** One group at the front of the file and the byte position just after its line. */
export interface SpilledGroup {
  group: StoreGroup;
  end: number;
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export class SpillFile {
  readonly path: string;
  /** Groups in the file not yet written (known after load()). */
  count = 0;
  /** Bytes at the file's start already written to the database. */
  private consumed = 0;
  /** Set by compact(): a write that lands after it leaves its groups for the next start (keyed). */
  private compacted = false;

  constructor(path: string) {
    this.path = path;
  }

  private get offsetPath(): string {
    return `${this.path}.offset`;
  }

  async append(groups: readonly StoreGroup[]): Promise<void> {
    if (groups.length === 0) return;
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, groups.map((g) => `${JSON.stringify(g)}\n`).join(''));
    this.count += groups.length;
  }

  /** All groups not yet written; lines a crash cut short are reported and skipped. */
  async load(): Promise<{ groups: StoreGroup[]; unreadable: number }> {
    let data: Buffer;
    try {
      data = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.count = 0;
        this.consumed = 0;
        return { groups: [], unreadable: 0 };
      }
      throw error;
    }
    this.consumed = await this.readOffset(data.length);
    const groups: StoreGroup[] = [];
    let unreadable = 0;
    for (const line of data.subarray(this.consumed).toString('utf8').split('\n')) {
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

  /** Up to `max` unwritten groups from the front, reading no further than needed. */
  async head(max: number): Promise<SpilledGroup[]> {
    const found: SpilledGroup[] = [];
    let file;
    try {
      file = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
      throw error;
    }
    try {
      let position = this.consumed;
      let pending = Buffer.alloc(0);
      while (found.length < max) {
        const chunk = Buffer.alloc(CHUNK_BYTES);
        const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, position + pending.length);
        if (bytesRead === 0) break; // a line without its newline is an append still in progress
        pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
        let start = 0;
        for (let nl = pending.indexOf(NEWLINE); nl !== -1 && found.length < max; nl = pending.indexOf(NEWLINE, start)) {
          const line = pending.subarray(start, nl).toString('utf8');
          start = nl + 1;
          if (line.trim() === '') continue;
          try {
            found.push({ group: JSON.parse(line) as StoreGroup, end: position + start });
          } catch {
            // cut short by a crash: load() reported it; it is dropped with the groups after it
          }
        }
        position += start;
        pending = pending.subarray(start);
      }
    } finally {
      await file.close();
    }
    return found;
  }

  /** The front up to byte `end` (`groups` groups) is written to the database. */
  async drop(end: number, groups: number): Promise<void> {
    if (this.compacted) return; // `end` points into the file as it was before compact()
    this.count = Math.max(0, this.count - groups);
    if (this.count === 0) {
      await rm(this.path, { force: true });
      await rm(this.offsetPath, { force: true });
      this.consumed = 0;
      return;
    }
    this.consumed = end;
    const temporary = `${this.offsetPath}.tmp`;
    await writeFile(temporary, String(end));
    await rename(temporary, this.offsetPath);
  }

  /** Rewrites the file without its written front, so that it holds only what is left. */
  async compact(): Promise<void> {
    this.compacted = true;
    if (this.consumed === 0) return;
    const data = await readFile(this.path);
    const temporary = `${this.path}.tmp`;
    await writeFile(temporary, data.subarray(this.consumed));
    // Offset first: a crash between the two steps then writes the front again (keyed), never skips any.
    await rm(this.offsetPath, { force: true });
    await rename(temporary, this.path);
    this.consumed = 0;
  }

  private async readOffset(size: number): Promise<number> {
    const text = await readFile(this.offsetPath, 'utf8').catch(() => '0');
    const offset = Number(text.trim());
    return Number.isInteger(offset) && offset >= 0 && offset <= size ? offset : 0;
  }
}
