// Paths and parsed files of the repository, for tests that check them against each other.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function readRepoText(relativePath: string): string {
  return readFileSync(repoPath(relativePath), 'utf8');
}

/** Parses a YAML file of the repository; YAML errors (duplicate keys included) throw. */
export function readRepoYaml(relativePath: string): unknown {
  return parse(readRepoText(relativePath), { uniqueKeys: true, strict: true, prettyErrors: true });
}

export function readRepoJson(relativePath: string): unknown {
  return JSON.parse(readRepoText(relativePath)) as unknown;
}

export function repoPathExists(relativePath: string): boolean {
  return existsSync(repoPath(relativePath));
}
