import { resolve } from 'node:path';
import { systemClock } from '@paceline/core';
import { Command, CommanderError, Option } from 'commander';
import { CliError, numberFlag } from './cli-error';
import { BENCHMARKS, bench } from './commands/bench';
import { listsImport } from './commands/lists-import';
import { plan } from './commands/plan';
import { LOG_LEVELS, type LogLevel, run } from './commands/run';
import { SIMULATE_PACERS, type SimulatePacer, simulate } from './commands/simulate';
import { type Output, processOutput } from './output';
import { CLI_VERSION } from './version';

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * The `paceline` command tree. `out` receives results (stdout) and progress (stderr); errors
 * are thrown as `CliError` / `CommanderError` and turned into one line by `runCli`.
 */
export function createProgram(out: Output = processOutput, cwd = process.cwd()): Command {
  const program = new Command('paceline')
    .description('Paceline: simulate and benchmark dial pacing, import lists, plan staffing, run a campaign with its dashboard')
    .version(CLI_VERSION, '-V, --version', 'print the version of paceline')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.stdout.write(s),
      writeErr: (s) => out.stderr.write(s),
      // runCli prints the one-line error itself.
      outputError: () => {},
    })
    .showSuggestionAfterError(true);

  const num =
    (name: string, o: Parameters<typeof numberFlag>[2] = {}) =>
    (v: string) =>
      numberFlag(name, v, o);

  program
    .command('simulate')
    .description('run a scenario through the pacer-direct simulator and print the KPI table')
    .argument('<scenario.json>', 'a scenario file (the format of bench/scenarios/*.json)')
    .addOption(new Option('--pacer <pacer>', 'the pacer').choices(SIMULATE_PACERS).default('predictive'))
    .option('--seed <n>', 'random seed; the same seed replays the same run', num('seed', { integer: true, min: 0 }), 1)
    .option('--days <d>', 'consecutive days to simulate (shifts repeat daily)', num('days', { integer: true, min: 1, max: 60 }), 1)
    .option('--html <file>', 'also write an HTML report with charts')
    .option('--json', 'machine-readable output', false)
    .action((file: string, o: { pacer: SimulatePacer; seed: number; days: number; html?: string; json: boolean }) => {
      simulate(resolve(cwd, file), { ...o, ...(o.html ? { html: resolve(cwd, o.html) } : {}) }, out);
    });

  program
    .command('bench')
    .description('run a benchmark (the same code as pnpm bench:<name>); extra arguments after -- go to it')
    .argument('[name]', `one of ${Object.keys(BENCHMARKS).join(', ')}`, 'pacing')
    .argument('[args...]', 'arguments for the benchmark (e.g. -- --seeds 5)')
    .allowUnknownOption(false)
    .action(async (name: string, args: string[]) => {
      const code = await bench(name, args, cwd);
      if (code !== 0) throw new CliError(`bench ${name}: the benchmark exited with code ${code}`, code);
    });

  const lists = program.command('lists').description('contact lists');
  lists
    .command('import')
    .description(
      'import a list (CSV in any delimiter and encoding, or XLSX): normalise to E.164, dedupe, resolve time zones, scrub do-not-call; write the clean list and the rejects',
    )
    .argument('<file>', 'the list (.csv, .tsv, .txt or .xlsx)')
    .requiredOption(
      '--map <mapping>',
      'columns: phones=Mobile|Home,firstName=First,profile.tenure=Tenure:number, #3 for the column at index 3 (repeatable) or @mapping.json',
      collect,
      [],
    )
    .option('--country <cc>', 'country of national numbers (ISO code)', 'US')
    .option('--dnc <file>', 'a do-not-call registry file to scrub against (repeatable)', collect, [])
    .option('--delimiter <c>', 'CSV delimiter: , ; tab | (default: detected)')
    .addOption(
      new Option('--encoding <name>', 'CSV encoding (default: detected)').choices(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']),
    )
    .option('--sheet <name>', 'XLSX worksheet (default: the first)')
    .option('--out <file>', 'clean list, JSON lines (default <file>.clean.jsonl)')
    .option('--rejects <file>', 'rejected rows with reasons, CSV (default <file>.rejects.csv)')
    .option('--json', 'machine-readable output', false)
    .action(
      async (
        file: string,
        o: {
          map: string[];
          country: string;
          dnc: string[];
          delimiter?: string;
          encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
          sheet?: string;
          out?: string;
          rejects?: string;
          json: boolean;
        },
      ) => {
        const path = resolve(cwd, file);
        const stem = path.replace(/\.(csv|tsv|txt|xlsx)$/i, '');
        if (!/^[A-Z]{2}$/.test(o.country))
          throw new CliError(`--country: expected a two-letter ISO country code such as US or GB, got "${o.country}"`, 2);
        const delimiter = o.delimiter === 'tab' || o.delimiter === '\\t' ? '\t' : o.delimiter;
        if (delimiter !== undefined && ![',', ';', '\t', '|'].includes(delimiter))
          throw new CliError(`--delimiter: expected , ; tab or |, got ${JSON.stringify(o.delimiter)}`, 2);
        await listsImport(
          path,
          {
            map: o.map,
            country: o.country,
            dnc: o.dnc.map((d) => resolve(cwd, d)),
            out: resolve(cwd, o.out ?? `${stem}.clean.jsonl`),
            rejects: resolve(cwd, o.rejects ?? `${stem}.rejects.csv`),
            json: o.json,
            asOfMs: systemClock().now(), // the DNC copies are taken as of now
            ...(delimiter === undefined ? {} : { delimiter }),
            ...(o.encoding === undefined ? {} : { encoding: o.encoding }),
            ...(o.sheet === undefined ? {} : { sheet: o.sheet }),
          },
          out,
        );
      },
    );

  program
    .command('plan')
    .description('staffing for an outbound list: agents needed, days to complete, expected occupancy')
    .requiredOption('--contacts <n>', 'records on the list', num('contacts', { integer: true, min: 0 }))
    .requiredOption('--contact-rate <p>', 'live answers per attempt, 0–1', num('contact-rate', { min: 0, max: 1 }))
    .requiredOption('--talk <s>', 'mean talk time, seconds', num('talk', { min: 0 }))
    .option('--wrap <s>', 'mean wrap-up time, seconds', num('wrap', { min: 0 }), 0)
    .requiredOption('--hours <h>', 'logged-in hours per agent per day', num('hours', { min: 0, max: 24 }))
    .option('--occupancy <p>', 'occupancy the pacer holds, 0–1 (default 0.85)', num('occupancy', { min: 0, max: 1 }))
    .option('--attempts <n>', 'attempts per record until a live answer (default 1)', num('attempts', { integer: true, min: 1 }))
    .option('--days <d>', 'working days to finish in (default 1)', num('days', { min: 0 }))
    .option('--agents <n>', 'a fixed team size: report how long the list takes', num('agents', { integer: true, min: 1 }))
    .addOption(new Option('--mode <mode>', 'dial mode').choices(['predictive', 'progressive']).default('predictive'))
    .option('--answer-delay <s>', 'progressive: mean ring time before a live answer, seconds', num('answer-delay', { min: 0 }))
    .option('--no-contact <s>', 'progressive: mean duration of an attempt without a live answer, seconds', num('no-contact', { min: 0 }))
    .option('--json', 'machine-readable output', false)
    .action((o: Record<string, number | string | boolean | undefined>) => {
      if (o.days !== undefined && o.agents !== undefined) throw new CliError('plan: give --days or --agents, not both', 2);
      const opt = <T>(key: string, field: string) => (o[key] !== undefined ? { [field]: o[key] as T } : {});
      plan(
        {
          contacts: o.contacts as number,
          contactRate: o.contactRate as number,
          talkSeconds: o.talk as number,
          wrapSeconds: o.wrap as number,
          hoursPerDay: o.hours as number,
          dialMode: o.mode as 'predictive' | 'progressive',
          ...opt('occupancy', 'targetOccupancy'),
          ...opt('attempts', 'maxAttemptsPerContact'),
          ...opt('days', 'targetDays'),
          ...opt('agents', 'agents'),
          ...opt('answerDelay', 'answerDelaySeconds'),
          ...(typeof o.contact === 'number' ? { nonContactAttemptSeconds: o.contact } : {}),
        },
        o.json === true,
        out,
      );
    });

  program
    .command('run')
    .description('run a campaign in real time on a trunk adapter, with the dashboard on a local port')
    .argument('<campaign.json>', 'a campaign, or { "campaign": …, "contacts": [ … ] }')
    .addOption(new Option('--trunk <trunk>', 'trunk adapter').choices(['sim', 'sip']).default('sim'))
    .option('--sip-config <file>', 'SIP trunk settings, JSON (required with --trunk sip; see docs/cli.md)')
    .option('--port <port>', 'dashboard port (0: any free port)', num('port', { integer: true, min: 0, max: 65_535 }), 8080)
    .option('--host <host>', 'dashboard address', '127.0.0.1')
    .option('--token <token>', 'dashboard access token, 16+ characters (default: a random one, printed)')
    .option('--agents <n>', 'simulated agents taking the connected calls', num('agents', { integer: true, min: 1, max: 1_000 }), 10)
    .option('--contacts <file.csv>', 'import this list into the campaign first')
    .option('--map <mapping>', 'columns of --contacts and of uploads (as in lists import; default phones=phone)', collect, [])
    .option('--country <cc>', 'country of national numbers', 'US')
    .option('--duration <s>', 'stop after this many seconds', num('duration', { min: 0 }))
    .option('--seed <n>', 'random seed of the simulated trunk and agents', num('seed', { integer: true, min: 0 }), 1)
    .option('--json', 'print the dashboard address as JSON', false)
    .option('--summary-every <s>', 'seconds between live summary lines (0: none)', num('summary-every', { min: 0 }), 5)
    // issue-20: engine logs (redacted: no phone, name or address) as JSON lines on stderr.
    .addOption(new Option('--log-level <level>', 'engine log level').choices(LOG_LEVELS).default('info'))
    .action(async (file: string, o: Record<string, unknown>) => {
      if (typeof o.token === 'string' && o.token.length < 16) throw new CliError('--token: expected at least 16 characters', 2);
      const running = await run(
        resolve(cwd, file),
        {
          trunk: o.trunk as 'sim' | 'sip',
          ...(typeof o.sipConfig === 'string' ? { sipConfig: resolve(cwd, o.sipConfig) } : {}),
          port: o.port as number,
          host: o.host as string,
          ...(typeof o.token === 'string' ? { token: o.token } : {}),
          agents: o.agents as number,
          ...(typeof o.contacts === 'string' ? { contacts: resolve(cwd, o.contacts) } : {}),
          map: o.map as string[],
          country: o.country as string,
          ...(typeof o.duration === 'number' ? { duration: o.duration } : {}),
          seed: o.seed as number,
          json: o.json === true,
          logLevel: o.logLevel as LogLevel,
          summaryEvery: o.summaryEvery as number,
        },
        out,
      );
      const onSignal = () => void running.stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      await running.done;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });

  return program;
}

/** Run the CLI on `argv` (as `process.argv`); resolves to the exit code. Errors are one line on stderr. */
export async function runCli(argv: readonly string[], out: Output = processOutput, cwd = process.cwd()): Promise<number> {
  try {
    await createProgram(out, cwd).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      if (error.exitCode === 0) return 0;
      out.stderr.write(`paceline: ${error.message.replace(/^error: /, '').split('\n')[0]} (see --help)\n`);
      return 2;
    }
    if (error instanceof CliError) {
      out.stderr.write(`paceline: ${error.message.split('\n')[0]}\n`);
      return error.exitCode;
    }
    out.stderr.write(`paceline: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
