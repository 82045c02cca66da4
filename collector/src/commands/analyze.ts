import type { Command } from 'commander';

export function registerAnalyzeCommand(program: Command): void {
  program.command('analyze <file>').description('not yet built').action(() => {
    console.error('llmscope analyze: not yet built');
    process.exit(2);
  });
}
