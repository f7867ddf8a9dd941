import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderCard, terminalWidth } from '../adapters/terminal/index.js';
import { defaultHome, RoundArchive } from '../adapters/terminal/round-archive.js';
import { checkLlm } from '../app/llm-check.js';
import { createScorer } from '../app/scorer.js';
import { loadLibrary } from '../rubric/load.js';
import { drillCommand, parseMinutes } from '../src/commands/parse.js';
import { type Config, loadConfig } from '../src/config.js';
import { ConfigError, MockdesignError, UserError } from '../src/errors.js';
import { createLogger, redact } from '../src/logger.js';
import { drillCard, scorecardCard } from '../src/presentation/scorecard-card.js';
import type { DrillKind } from '../src/round/drills.js';
import { DRILLS } from '../src/round/drills.js';
import { practice } from './practice.js';
import { terminalExport, terminalForget, terminalHistory } from './progress.js';
import { readTranscripts } from './score.js';
import { exitOnSignals } from './shutdown.js';

/** The package's version, from its package.json. */
function version(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

const HELP = `mockdesign — timed mock research-design interviews with a weighted, evidence-backed scorecard

Usage:
  mockdesign serve                      run every platform whose credentials are set;
                                        with none, a practice round in this terminal
  mockdesign worker                     run timer jobs only (REDIS_URL and a platform's
                                        credentials to post with)
  mockdesign shard [--shards N]         a sharded Discord bot: one process per shard
                                        (default: as many as Discord recommends)
  mockdesign practice [--prompt ID] [--minutes N]
                                        a round in this terminal (N from 5 to 240, default 45);
                                        ID may be random, or adaptive (your weakest criterion)
  mockdesign score FILE [--json] [--engine heuristic|llm]
                                        score a saved transcript, or each round of an export
                                        (llm needs OPENAI_API_KEY)
  mockdesign prompts                    list the prompt library
  mockdesign drill hypothesis|tradeoffs|risks
                                        a short timed drill on one criterion (2 or 5 minutes)
  mockdesign history [--chart FILE.png] your kept terminal rounds, each criterion's trend,
                                        and a chart of your scores over time
  mockdesign export [--out FILE]        your kept rounds as transcript JSON (score reads it)
  mockdesign forget [--confirm]         delete your kept rounds
  mockdesign --version                  the version
  mockdesign help                       this text

In a terminal round, type your answers line by line; a line that is just \`next\`, \`end\`,
\`status\`, \`prompts\` or \`help\` runs it, and one that is another chat command (\`forget\`,
\`history\`, \`drill risks\`, ...) says what to run instead. Ctrl-D or Ctrl-C ends the round and
scores it; Ctrl-C twice quits at once.

Finished terminal rounds are kept in MOCKDESIGN_HOME (default ~/.local/share/mockdesign).

Environment: REDIS_URL, SLACK_*, DISCORD_*, OPENAI_API_KEY, MOCKDESIGN_TIME_SCALE, ... (see README).`;

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  // `mockdesign practice --help` and the like: the usage, whatever the command.
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      parse(rest, {}, 'serve');
      return serve(config, 'bot');
    case 'worker':
      parse(rest, {}, 'worker');
      return serve(config, 'worker');
    case 'shard': {
      const { values } = parse(rest, { shards: { type: 'string' } }, 'shard');
      const { runShards } = await import('./shard.js');
      await runShards(config, values.shards, createLogger());
      return new Promise<number>(() => {});
    }
    case 'practice':
    case 'drill': {
      // A drill has its own length and picks its own prompt: it takes neither option.
      const { values, positionals } = parse(
        rest,
        command === 'drill' ? {} : { prompt: { type: 'string' }, minutes: { type: 'string' } },
        command,
        command === 'drill',
      ) as { values: { prompt?: string; minutes?: string }; positionals: string[] };
      const drill = command === 'drill' ? drillKind(positionals) : undefined;
      const minutes = values.minutes === undefined ? undefined : parseMinutes(values.minutes);
      const archive = await archiveOf(config, 'write');
      const library = await loadLibrary(config);
      // Before the round, not after it: a key the LLM server refuses would cost the whole round.
      if (config.openai) await checkLlm(config.openai, warn);
      const kept = await practice({
        library,
        scorer: createScorer(config, library, createLogger({ quiet: true })),
        timeScale: config.timeScale,
        logger: createLogger({ quiet: true }),
        promptId: values.prompt?.toLowerCase(),
        minutes,
        input: process.stdin,
        output: process.stdout,
        onQuit: () => process.exit(130),
        archive,
        ...(drill ? { drill } : {}),
      });
      // The card is long: its headline again, where the round ends, beside where it was kept.
      if (kept) {
        process.stdout.write(
          `${kept.headline}\nKept in ${kept.file} (see \`mockdesign history\`).\n`,
        );
      }
      return 0;
    }
    case 'history': {
      const { values } = parse(rest, { chart: { type: 'string' } }, 'history');
      const archive = await archiveOf(config, 'read');
      await terminalHistory({
        ...STREAMS,
        library: await loadLibrary(config),
        archive,
        chart: values.chart,
      });
      return 0;
    }
    case 'export': {
      const { values } = parse(rest, { out: { type: 'string' } }, 'export');
      await terminalExport({
        ...STREAMS,
        archive: await archiveOf(config, 'read'),
        file: values.out,
      });
      return 0;
    }
    case 'forget': {
      const options = { confirm: { type: 'boolean' } } as const;
      const { values, positionals } = parse(rest, options, 'forget', true);
      // `forget confirm` is how a chat confirms; the terminal takes an option.
      if (positionals.length === 1 && positionals[0]?.toLowerCase() === 'confirm') {
        throw new UserError(
          'forget: in a terminal, confirm with `mockdesign forget --confirm` (`mockdesign forget` says what it deletes).',
        );
      }
      if (positionals.length > 0) parse(rest, options, 'forget');
      const confirmed = values.confirm === true;
      await terminalForget({
        ...STREAMS,
        // Saying what it would delete only reads; deleting needs to write.
        archive: await archiveOf(config, confirmed ? 'write' : 'read'),
        confirmed,
      });
      return 0;
    }
    case 'score': {
      const { values, positionals } = parse(
        rest,
        { json: { type: 'boolean' }, engine: { type: 'string' } },
        'score',
        true,
      );
      const [file, ...extra] = positionals;
      if (!file || extra.length > 0)
        throw new UserError(
          'score takes one transcript (or export) file: mockdesign score FILE [--json]',
        );
      const engine = values.engine;
      if (engine !== undefined && engine !== 'heuristic' && engine !== 'llm') {
        throw new UserError(`--engine must be "heuristic" or "llm" (got "${engine}")`);
      }
      const library = await loadLibrary(config);
      const { transcripts, fromExport } = await readTranscripts(file, warn);
      if (config.openai && engine !== 'heuristic') await checkLlm(config.openai, warn);
      const scorer = createScorer(config, library, createLogger({ quiet: true }), engine);
      const cards = [];
      for (const transcript of transcripts) cards.push(await scorer.score(transcript));
      // One transcript gives one scorecard; an export gives an array, one per round, in its order.
      // A drill's says which it is: it is judged on its one criterion.
      const shown = cards.map((card, i) => {
        const drill = transcripts[i]?.drill;
        if (!drill) return card;
        const { kind, name, criterion } = DRILLS[drill];
        return { ...card, drill: { kind, name, criterion } };
      });
      const json = fromExport ? shown : shown[0];
      process.stdout.write(
        values.json
          ? `${JSON.stringify(json, null, 2)}\n`
          : `${cards
              .map((card, i) => {
                // A drill is shown as its own card: the one criterion it asked for.
                const drill = transcripts[i]?.drill;
                return renderCard(drill ? drillCard(card, DRILLS[drill]) : scorecardCard(card), {
                  width: terminalWidth(process.stdout),
                });
              })
              .join('\n\n')}\n`,
      );
      return 0;
    }
    case 'prompts': {
      parse(rest, {}, 'prompts');
      const library = await loadLibrary(config);
      for (const p of library.prompts.values())
        process.stdout.write(`${p.id.padEnd(36)} ${p.title}\n`);
      return 0;
    }
    case '--version':
    case '-v':
    case 'version':
      process.stdout.write(`mockdesign ${version()}\n`);
      return 0;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${HELP}\n`);
      return 0;
    default:
      throw new UserError(`unknown command "${command}". Run \`mockdesign help\` for the list.`);
  }
}

/**
 * `serve` and `worker`. With no platform credentials, `serve` runs a practice round when a person
 * is at the terminal, and otherwise stops at once: in a container an idle terminal round would
 * look like a healthy bot.
 */
async function serve(config: Config, role: 'bot' | 'worker'): Promise<number> {
  if (role === 'bot' && !config.slack && !config.discord) {
    if (process.stdin.isTTY) return main(['practice']);
    throw new ConfigError(
      'no chat platform is configured: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN), or DISCORD_TOKEN with DISCORD_APP_ID, and REDIS_URL; for a round in this terminal run `mockdesign practice`',
    );
  }
  const logger = createLogger();
  // Loaded here, not at the top: the platforms' client libraries take seconds to load, which a
  // terminal round, `score` or `history` should not wait for (the same goes for `shard`).
  const { composeApp } = await import('../app/compose.js');
  const runtime = await composeApp(config, { role, logger, health: true });
  exitOnSignals(() => runtime.stop(), logger);
  // Runs until a signal: exitOnSignals exits the process.
  return new Promise<number>(() => {});
}

/** The drill a `mockdesign drill KIND` names. */
function drillKind(positionals: readonly string[]): DrillKind {
  const command = drillCommand(positionals.length === 1 ? positionals[0] : positionals.join(' '), {
    platform: 'terminal',
    user: '',
    channel: '',
  });
  if (command.kind !== 'drill') throw new UserError('mockdesign drill hypothesis|tradeoffs|risks');
  return command.drill;
}

const STREAMS = { stdout: process.stdout, stderr: process.stderr };

/**
 * The kept terminal rounds, under `MOCKDESIGN_HOME` or the user data folder, once it is clear they
 * can be read there (or, for `write`, kept there): otherwise one line naming the folder, before
 * the command does anything.
 */
async function archiveOf(config: Config, use: 'read' | 'write'): Promise<RoundArchive> {
  const fallback = defaultHome(process.env, process.platform);
  const home = config.home ?? fallback;
  const archive = new RoundArchive(home);
  const problem = await archive.problem(use === 'write');
  if (problem) {
    const can = use === 'write' ? 'write to' : 'read';
    const cause = `${problem.code}${problem.path === home ? '' : ` at ${problem.path}`}`;
    throw new MockdesignError(
      'home',
      config.home === undefined
        ? `${home}, where rounds are kept by default, is not a folder you can ${can} (${cause}): set MOCKDESIGN_HOME to a folder you can ${can}`
        : `MOCKDESIGN_HOME=${home} is not a folder you can ${can} (${cause}): set it to a folder you can ${can} (or unset it for ${fallback})`,
    );
  }
  return archive;
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(
  args: string[],
  options: O,
  command: string,
  positionals = false,
) {
  const optionOf = (arg: string) =>
    arg.startsWith('--') ? options?.[arg.slice(2).split('=')[0] ?? ''] : undefined;
  // A word starting with '-' after an option that takes a value is that value (`--minutes -5`),
  // for the option's own check to refuse, unless it is one of the command's options: parseArgs
  // would call it ambiguous.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const valueNext =
      optionOf(arg)?.type === 'string' && !arg.includes('=') && next?.startsWith('-') === true;
    if (valueNext && next !== '--' && !optionOf(next as string)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  const needsValue = (option: string) =>
    new UserError(`${command}: ${option} needs a value. Run \`mockdesign help\` for usage.`);
  let parsed: ReturnType<typeof parseArgs<{ options: O; allowPositionals: boolean }>>;
  try {
    parsed = parseArgs({
      args: joined,
      options: options as O,
      allowPositionals: positionals,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message;
    // An option last, or followed by another: its value is missing (Node's advice is about dashes).
    const missing = /^Option '(--[\w-]+)(?: <value>)?' argument (?:is ambiguous|missing)/.exec(
      message,
    )?.[1];
    if (missing) throw needsValue(missing);
    // Node's advice on positionals that start with '-' does not apply to these commands.
    const what = message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UserError(`${command}: ${what}. Run \`mockdesign help\` for usage.`);
  }
  // `--out=` names no file: the same as no value at all.
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === '') throw needsValue(`--${name}`);
  }
  return parsed;
}

/** A note for the person at the terminal that stops nothing. */
function warn(note: string): void {
  process.stderr.write(`mockdesign: ${redact(note)}\n`);
}

// A reader that stops early (`mockdesign practice | head`) closes the pipe: what is left to print
// goes nowhere, and the command still finishes, so a round is still kept.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof MockdesignError) {
      process.stderr.write(`mockdesign: ${redact(error.message)}\n`);
      process.exit(error instanceof UserError ? 2 : 1);
    }
    process.stderr.write(
      `mockdesign: unexpected error: ${redact(String((error as Error)?.stack ?? error))}\n`,
    );
    process.exit(1);
  },
);
