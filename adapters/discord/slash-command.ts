import type { Command, Origin } from '../../src/commands/command.js';
import {
  challengeCommand,
  drillCommand,
  leaderboardCommand,
  parseCommandText,
  remindCommand,
  scheduleCommand,
  startCommand,
} from '../../src/commands/parse.js';

/** The part of discord.js's option resolver a `/mockdesign` interaction is read through. */
export interface SlashOptions {
  getSubcommand(): string;
  getString(name: string): string | null;
  getInteger(name: string): number | null;
  getBoolean(name: string): boolean | null;
}

/**
 * The core command for a `/mockdesign <subcommand>` interaction. The option values go to the
 * core as given: it is the one validator of them (Discord checks ranges in its client, but not
 * every client does), and a bad one is a `UserError` in the core's words, naming the options as
 * typed options (`minutes:30`).
 */
export function commandFromSlash(options: SlashOptions, origin: Origin): Command {
  const subcommand = options.getSubcommand();
  switch (subcommand) {
    case 'start':
      return startCommand(
        {
          prompt: options.getString('prompt'),
          minutes: options.getInteger('minutes'),
          hours: options.getInteger('hours'),
          mode: options.getString('mode'),
          tz: options.getString('tz'),
        },
        origin,
        'typed',
      );
    case 'challenge':
      return challengeCommand(
        { prompt: options.getString('prompt'), hours: options.getInteger('hours') },
        origin,
        'typed',
      );
    case 'schedule':
      return scheduleCommand(
        {
          action: options.getString('action'),
          rule: options.getString('rule'),
          tz: options.getString('tz'),
          hours: options.getInteger('hours'),
          prompt: options.getString('prompt'),
          id: options.getString('id'),
        },
        origin,
        'typed',
      );
    case 'remind': {
      const when = (options.getString('when') ?? '').trim().split(/\s+/).filter(Boolean);
      const tz = options.getString('tz');
      return remindCommand(tz ? [...when, '--tz', tz] : when, origin, 'typed');
    }
    case 'drill':
      return drillCommand(options.getString('kind'), origin);
    case 'leaderboard':
      return leaderboardCommand(options.getString('ranked'), origin);
    case 'forget':
      return { kind: 'forget', origin, confirmed: options.getBoolean('confirm') === true };
    default:
      // The other subcommands take no options: the verb alone, read (or refused) by the core.
      return parseCommandText(subcommand, origin);
  }
}
