// The `llmscope` command line: each subcommand lives in its own module under commands/.
import { Command } from 'commander';
import { registerAnalyzeCommand } from './commands/analyze.js';

const program = new Command()
  .name('llmscope')
  .description('Statistical Process Control for the latency of local LLM servers')
  .showHelpAfterError();

registerAnalyzeCommand(program);

await program.parseAsync(process.argv);
