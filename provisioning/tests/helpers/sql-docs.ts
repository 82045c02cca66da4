// The ```sql blocks of a Markdown document, with the heading each sits under.
export interface DocQuery {
  heading: string;
  sql: string;
}

export function sqlBlocks(markdown: string): DocQuery[] {
  const out: DocQuery[] = [];
  let heading = '(top)';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    if (line.trim() === '```sql') {
      const body: string[] = [];
      for (i++; i < lines.length && (lines[i] ?? '').trim() !== '```'; i++) body.push(lines[i] ?? '');
      out.push({ heading, sql: body.join('\n') });
    }
  }
  return out;
}
