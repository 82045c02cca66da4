// Vitest global setup: drops the test databases that earlier runs kept because a test left a
// connection open (helpers/database.ts names each after the process that made it). Only those
// of processes no longer running: their connections are gone with them.
import pg from 'pg';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default async function dropLeftoverDatabases(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return; // the embedded server is made afresh by each run
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'llmscope\\_test\\_%'`);
    for (const { datname } of rows) {
      const pid = Number(/^llmscope_test_(\d+)_/.exec(datname)?.[1]);
      if (Number.isInteger(pid) && !isRunning(pid)) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
