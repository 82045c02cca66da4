#!/usr/bin/env node
// The `llmscope` command. The TypeScript sources are compiled to dist/ by `npm install`
// (the root `prepare` script); run `npm run build:node` after changing them.
import { existsSync } from 'node:fs';
const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('llmscope: collector/dist is missing; run `npm install` (or `npm run build:node`) at the repository root first');
  process.exit(2);
}
await import(entry.href);
