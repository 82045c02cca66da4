// Turns zod issues into the one-line message users see: "config: targets[0].url: Invalid URL".
import type { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The first issue, as one line; `origins` maps a key path to where its value came from (an env var, a flag). */
export function describeIssue(issue: z.core.$ZodIssue, origins: ReadonlyMap<string, string>): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '?';
    const path = formatPath([...issue.path, key]);
    return `config: ${path}: unknown key (check the spelling; see the README's configuration section)`;
  }
  const path = formatPath(issue.path);
  const origin = origins.get(path);
  const where = path === '' ? '(root)' : origin ? `${path} (from ${origin})` : path;
  return `config: ${where}: ${issue.message}`;
}
