/**
 * What a line typed in a terminal round is. The core reads a line that is just a command word
 * (`next`, `end`, `status`, ...) as that command; here a chat command written out in full (`drill
 * risks`, `remind off`, or anything after `/mockdesign`) is read as one too, so that it is never
 * scored as an answer. The chat's commands that work on other rounds, on a chat's settings or on
 * other people (`forget`, `history`, `export`, `drill`, `remind`, team challenges) are not run
 * while a terminal round runs: the person is told what to run instead, and the round goes on.
 */
import type { Command, Origin } from '../src/commands/command.js';
import { commandInRound, parseCommandText } from '../src/commands/parse.js';
import { UserError } from '../src/errors.js';
import type { CommandHandler } from '../src/ports/chat-platform.js';
import { refusalCard } from '../src/presentation/replies.js';

/** `/mockdesign` and what follows it, as typed in a chat. */
const SLASH = /^\s*\/mockdesign(?:\s+([\s\S]*))?$/i;

/**
 * Chat verbs whose commands the core does not read in a round's thread; a line that parses whole
 * as one of them is that command, not an answer.
 */
const CHAT_VERBS = new Set(['drill', 'remind', 'challenge', 'schedule', 'leaderboard']);

/**
 * A word of a `challenge` line rather than of an answer ("challenge accepted" is an answer): no
 * word, `random`, `adaptive`, `--hours N` or a hyphenated prompt id.
 */
const CHALLENGE_WORD = /^(?:random|adaptive|--hours(?:=\d+)?|\d+|[a-z0-9]+(?:-[a-z0-9]+)+)$/i;

/** Wraps the core's handler for a terminal round: chat commands typed as lines are read here. */
export function terminalRoundHandler(handle: CommandHandler): CommandHandler {
  return async (command) => {
    if (command.kind !== 'reply') return handle(command);
    let typed: { command: Command; slash: boolean } | undefined;
    try {
      typed = typedCommand(command.text, command.origin);
    } catch (error) {
      // Only a `/mockdesign` line gets here: it was meant as a command, so the parser's word on
      // what is wrong with it is the answer.
      if (error instanceof UserError) return { card: refusalCard(error.message) };
      throw error;
    }
    if (!typed) return handle(command);
    const refusal = notInTerminalRound(typed.command);
    if (refusal) return { card: refusalCard(refusal) };
    // A command word the core reads itself goes to it as typed, so the round records it as one.
    return typed.slash ? handle(typed.command) : handle(command);
  };
}

/** The chat command a typed line is, if it is one; a bad `/mockdesign` line throws its refusal. */
function typedCommand(
  text: string,
  origin: Origin & { readonly thread: string },
): { command: Command; slash: boolean } | undefined {
  const slash = SLASH.exec(text);
  if (slash) return { command: parseCommandText(slash[1] ?? '', origin), slash: true };
  const inRound = commandInRound(text, origin);
  if (inRound) return { command: inRound, slash: false };
  const [verb = '', ...args] = text.trim().toLowerCase().split(/\s+/);
  if (!CHAT_VERBS.has(verb)) return undefined;
  if (verb === 'challenge' && !args.every((word) => CHALLENGE_WORD.test(word))) return undefined;
  try {
    return { command: parseCommandText(text, origin), slash: false };
  } catch (error) {
    // Not a command as written ("drill down into the logs"): an answer that starts with the word.
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/** Why `command` is not run in a terminal round, or undefined when it is. */
function notInTerminalRound(command: Command): string | undefined {
  const goesOn = 'Not taken as an answer; your round goes on.';
  const after = (typed: string) =>
    `\`${typed}\` is not available in a terminal round: after the round, run \`mockdesign ${typed}\`. ${goesOn}`;
  const chatOnly = (verb: string, what: string) =>
    `\`${verb}\` is not available in the terminal: ${what} in Slack and Discord. ${goesOn}`;
  switch (command.kind) {
    case 'forget':
      return `\`forget\` is not available in a terminal round, and nothing was deleted: after the round, run \`mockdesign forget\`. ${goesOn}`;
    case 'history':
    case 'export':
      return after(command.kind);
    case 'drill':
      return after(`drill ${command.drill}`);
    case 'remind':
      return chatOnly('remind', 'reminders are sent');
    case 'challenge':
    case 'schedule':
    case 'schedules':
    case 'leaderboard':
    case 'attempt': {
      const verb = command.kind === 'schedules' ? 'schedule' : command.kind;
      return chatOnly(verb, 'team challenges run');
    }
    default:
      return undefined;
  }
}
