// The `llmscope` command line: each subcommand lives in its own module under commands/.
import { Command } from 'commander';
import { registerAnalyzeCommand } from './commands/analyze.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerRollupCommand } from './commands/rollup.js';
import { registerStartCommand } from './commands/start.js';

const program = new Command()
  .name('llmscope')
  .description('Statistical Process Control for the latency of local LLM servers')
  .showHelpAfterError();

registerStartCommand(program);
registerMigrateCommand(program);
registerRollupCommand(program);
registerDemoCommand(program);
registerAnalyzeCommand(program);

await program.parseAsync(process.argv);
