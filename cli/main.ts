import { parseArgs } from 'node:util';
import { loadLibrary } from '../rubric/load.js';
import { parseMinutes } from '../src/commands/parse.js';
import { type Config, loadConfig } from '../src/config.js';
import { MockdesignError, UserError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { renderScorecardText } from '../src/scoring/render-text.js';
import { practice } from './practice.js';
import { readTranscript } from './score.js';
import { createScorer } from './scorer.js';
import { serveChat } from './serve.js';
import { exitOnSignals } from './shutdown.js';

const HELP = `mockdesign — timed mock research-design interviews with a weighted, evidence-backed scorecard

Usage:
  mockdesign serve                      run every platform whose credentials are set;
                                        with none, a practice round in this terminal
  mockdesign worker                     run timer jobs only (REDIS_URL and a platform's
                                        credentials to post with)
  mockdesign practice [--prompt ID] [--minutes N]
                                        a round in this terminal (N from 5 to 240, default 45)
  mockdesign score FILE [--json] [--engine heuristic|llm]
                                        score a saved transcript (llm needs OPENAI_API_KEY)
  mockdesign prompts                    list the prompt library
  mockdesign help                       this text

Environment: REDIS_URL, SLACK_*, DISCORD_*, OPENAI_API_KEY, MOCKDESIGN_TIME_SCALE, ... (see README).`;

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      parse(rest, {}, 'serve');
      return serve(config, 'bot');
    case 'worker':
      parse(rest, {}, 'worker');
      return serve(config, 'worker');
    case 'practice': {
      const { values } = parse(
        rest,
        { prompt: { type: 'string' }, minutes: { type: 'string' } },
        'practice',
      );
      const library = await loadLibrary(config);
      await practice({
        library,
        scorer: createScorer(config, library, createLogger({ quiet: true })),
        timeScale: config.timeScale,
        logger: createLogger({ quiet: true }),
        promptId: values.prompt?.toLowerCase(),
        minutes: values.minutes === undefined ? undefined : parseMinutes(values.minutes),
        input: process.stdin,
        output: process.stdout,
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
        throw new UserError('score takes one transcript file: mockdesign score FILE [--json]');
      const engine = values.engine;
      if (engine !== undefined && engine !== 'heuristic' && engine !== 'llm') {
        throw new UserError(`--engine must be "heuristic" or "llm" (got "${engine}")`);
      }
      const library = await loadLibrary(config);
      const transcript = await readTranscript(file);
      const scorer = createScorer(config, library, createLogger({ quiet: true }), engine);
      const card = await scorer.score(transcript);
      process.stdout.write(
        values.json ? `${JSON.stringify(card, null, 2)}\n` : `${renderScorecardText(card)}\n`,
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
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${HELP}\n`);
      return 0;
    default:
      throw new UserError(`unknown command "${command}". Run \`mockdesign help\` for the list.`);
  }
}

async function serve(config: Config, role: 'bot' | 'worker'): Promise<number> {
  if (role === 'bot' && !config.slack && !config.discord) return main(['practice']);
  const logger = createLogger();
  const library = await loadLibrary(config);
  const runtime = await serveChat(config, library, logger, role);
  exitOnSignals(() => runtime.stop(), logger);
  // Runs until a signal: exitOnSignals exits the process.
  return new Promise<number>(() => {});
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(
  args: string[],
  options: O,
  command: string,
  positionals = false,
) {
  try {
    return parseArgs({ args, options: options as O, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new UserError(
      `${command}: ${(error as Error).message}. Run \`mockdesign help\` for usage.`,
    );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof MockdesignError) {
      process.stderr.write(`mockdesign: ${error.message}\n`);
      process.exit(error instanceof UserError ? 2 : 1);
    }
    process.stderr.write(`mockdesign: unexpected error: ${(error as Error)?.stack ?? error}\n`);
    process.exit(1);
  },
);
